// The GMP headers, exposed to Swift through the `CGMP` system-library target.
// Debian package: libgmp-dev.
#include <gmp.h>
