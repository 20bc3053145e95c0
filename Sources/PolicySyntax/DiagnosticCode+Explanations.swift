/// What `zkpolicyc explain CODE` prints: a title and a few paragraphs saying
/// what the rule is, why it exists and how to fix a violation, usually with an
/// example. docs/errors.md is generated from this table.
public struct Explanation: Sendable {
    public let title: String
    public let text: String
}

extension DiagnosticCode {
    /// The explanation of this code (exhaustive: every code has one).
    public var explanation: Explanation {
        switch self {
        case .invalidUTF8: return Explanation(title: "invalid UTF-8 in source", text: """
            Policy files are UTF-8 text. The file contains a byte sequence that is not valid
            UTF-8 (for example a Latin-1 `é`, a stray byte from a binary file, or a truncated
            multi-byte character). Re-save the file as UTF-8.
            """)
        case .unexpectedCharacter: return Explanation(title: "unexpected character", text: """
            The character cannot start any token of the language. Identifiers are ASCII letters,
            digits and `_`; operators are `+ - * / == != < <= > >= = -> .. . , : ( ) [ ] { }`;
            comments start with `//`. A `%` is only allowed right after a number (`5%`).

                rule r: count(a in t) # 3      // `#` is not an operator
            """)
        case .unterminatedString: return Explanation(title: "unterminated string literal", text: """
            A string literal (`"..."`) must end with `"` on the same line. Strings appear only in
            the policy header, in file imports and as CSV column names.

                policy "Fair lending version "1.0"     // missing closing quote
            """)
        case .invalidNumber: return Explanation(title: "malformed number literal", text: """
            Numbers are written as decimal digits, optionally with a fractional part and an optional
            `%` suffix: `12`, `0.05`, `5%`, `12.5%`, `1_000_000`. A decimal point must have digits
            on both sides (`0.5`, not `.5` or `5.`), exponents (`1e5`) and hexadecimal are not
            supported, and a number cannot run into a name (`12abc`).
            """)
        case .literalTooLong: return Explanation(title: "literal or name too long", text: """
            A number literal has more than 200 digits, a name more than 200 characters, or a
            string more than 4096 bytes. No value that long can be used in a circuit, and no
            name that long is readable; write the intended value or a shorter name.
            """)
        case .invalidEscape: return Explanation(title: "invalid escape in string", text: """
            Inside a string, a backslash may only start `\\"`, `\\\\`, `\\n` or `\\t`.
            """)
        case .unreadableFile: return Explanation(title: "file cannot be read", text: """
            The file given on the command line (or named by an `import`) does not exist, is a
            directory, or cannot be read. Check the path; imports of files are relative to the
            importing file.
            """)
        case .fileTooLarge: return Explanation(title: "file too large", text: """
            A policy or module file is larger than 4 MiB. Policies are short, human-readable texts;
            a file this large is almost certainly not a policy.
            """)
        case .expectedToken: return Explanation(title: "unexpected token", text: """
            The parser expected a particular token (a name, `:`, `=`, a closing bracket, ...) and
            found something else. The message says what was expected. Recovery skips to the next
            declaration, so later errors are still reported.

                rule approval_gap fairness.parity_gap(approved, applicants, by: group) < 5%
                //               ^ expected `:` after the rule name
            """)
        case .missingPolicyHeader: return Explanation(title: "missing policy header", text: """
            A policy file must start with its header naming the policy and its version, which are
            bound into every proof:

                policy "Fair lending: credit scorer" version "1.0"

            Library modules (files that are imported) have no header.
            """)
        case .misplacedPolicyHeader: return Explanation(title: "misplaced policy header", text: """
            The `policy` header must be the first declaration of a policy file and appear once.
            An imported module must not have one: it is a library, not a policy.
            """)
        case .unclosedDelimiter: return Explanation(title: "unclosed delimiter", text: """
            An opening `(`, `[` or `{` has no matching closing bracket before the next declaration
            or the end of the file. The note points at the opening bracket.
            """)
        case .nestingTooDeep: return Explanation(title: "nesting too deep", text: """
            Expressions and types may nest at most 100 levels deep (parentheses, operands of
            operators, arguments). The limit keeps the compiler's stack bounded on any input;
            no real policy comes close. Split the expression with `let`.
            """)
        case .expectedExpression: return Explanation(title: "expected an expression", text: """
            An expression (a value, a name, an aggregate, a comparison, ...) must appear here,
            for example after `rule NAME:`, after an operator or inside parentheses.

                rule r: count(a in t) >=        // nothing after `>=`
            """)
        case .expectedType: return Explanation(title: "expected a type", text: """
            A type must appear here. Types are `bool`, `int`, `fixed`, `ratio`, `digest`,
            `tensor[dims]`, `enum { ... }`, `table { ... }`; in `fn` parameters also `table`,
            `model`, `T -> bool` (a function of a row of table `T`) and `ratio per group`.
            """)
        case .missingVisibility: return Explanation(title: "missing visibility", text: """
            Every model and data declaration states who may see it: `private` (only the prover),
            `committed` (private, bound to a published commitment) or `public`. The visibility is
            part of what the proof states, so it is never implicit.

                model scorer: onnx tensor[20] -> tensor[2] private
            """)
        case .invalidColumnRange: return Explanation(title: "invalid column range", text: """
            A tensor field can bind consecutive CSV columns with a range such as `from f0..f19`:
            both ends must be the same name followed by numbers, and the second number must not be
            smaller than the first. Otherwise list the columns: `from [age, income, "credit amount"]`.
            """)
        case .chainedComparison: return Explanation(title: "comparisons cannot be chained", text: """
            `a < b < c` is ambiguous in most languages and an error here. Write both comparisons
            and join them: `a < b and b < c`.
            """)
        case .expectedDeclaration: return Explanation(title: "expected a declaration", text: """
            At the top level of a file only declarations may appear: `policy`, `import`, `model`,
            `data`, `param`, `commitment`, `let`, `fn` and `rule`. Anything else (often the
            continuation of a broken declaration above) is skipped up to the next declaration.
            """)
        case .misplacedImport: return Explanation(title: "import after declarations", text: """
            Imports come right after the policy header, before any other declaration, so that a
            reader sees every dependency of the policy at the top.
            """)
        case .invalidImportPath: return Explanation(title: "invalid import", text: """
            An import names either a standard module (`import std.fairness`) or a file relative to
            the importing file, ending in `.zkp` (`import "./lib/bank-rules.zkp"`). Absolute paths
            are not allowed, so that a policy and its libraries can be moved together.
            """)
        case .invalidModuleName: return Explanation(title: "invalid module name", text: """
            An imported file is referred to by its file name without `.zkp`; when that is not a
            valid name (it contains `-` or starts with a digit), give one with `as`:

                import "./bank-rules.zkp" as bank_rules
            """)
        case .unknownName: return Explanation(title: "unknown name", text: """
            The name is not declared in this file, is not a parameter of the enclosing function,
            is not a row bound by an enclosing aggregate, and is not a built-in function. Check the
            spelling (the note suggests close names) or add the missing declaration or import.
            Names from an imported module are written with the module name: `fairness.parity_gap`.
            """)
        case .duplicateDeclaration: return Explanation(title: "duplicate declaration", text: """
            Two declarations of a file have the same name (models, tables, params, commitments,
            `let`s, `fn`s, rules and imported module names share one namespace). Rename one; the
            note points at the first.
            """)
        case .moduleNotFound: return Explanation(title: "module not found", text: """
            `import std.NAME` names a module of the standard library (`std.fairness`,
            `std.performance`, `std.integrity`), and `import "PATH"` a file relative to the
            importing file. Neither was found.
            """)
        case .importCycle: return Explanation(title: "import cycle", text: """
            Modules import each other in a cycle; the notes list the chain. Move the shared
            functions into a third module that both import.
            """)
        case .unknownField: return Explanation(title: "unknown field", text: """
            The table has no field of that name. Fields are declared in the `data` declaration:

                data applicants: table { group: enum { female, male }, repaid: bool } private
                rule r: count(a in applicants where a.repaid) > 0
            """)
        case .unknownModuleMember: return Explanation(title: "unknown module member", text: """
            The imported module declares no `fn` or `let` of that name. `zkpolicyc check` on the
            module, or its documentation in docs/language.md, lists what it provides.
            """)
        case .notAllowedInModule: return Explanation(title: "declaration not allowed in a module", text: """
            An imported module is a library of `fn` and `let` declarations (and its own imports).
            Models, data, params, commitments and rules belong to the policy that imports it, which
            passes them to the library's functions as arguments.
            """)
        case .recursion: return Explanation(title: "recursive definition", text: """
            Functions are inlined into the circuit, so a `fn` or `let` may not call itself,
            directly or through others, and a `let` value may not depend on itself. The notes show
            the cycle. Rewrite the computation with an aggregate.
            """)
        case .unknownEnumCase: return Explanation(title: "unknown enum case", text: """
            The name is compared with an enum value but is not one of its cases. The cases are
            listed in the field's type, e.g. `group: enum { female, male }`.
            """)
        case .duplicateMember: return Explanation(title: "duplicate member", text: """
            A table has two fields of the same name, an enum two equal cases, a function two equal
            parameter names, or a call passes the same argument twice.
            """)
        case .outerRowInNestedAggregate: return Explanation(title: "row of an outer aggregate used in a nested one", text: """
            An aggregate may use the row it binds and values that do not depend on any row, but
            not the row of an enclosing aggregate: that would compare every row with every other
            row, a circuit quadratic in the number of rows. Compute the inner value first:

                let average_age = mean(b in applicants: b.age)
                rule r: all a in applicants: a.age <= 3 * average_age
            """)
        case .missingParameterType: return Explanation(title: "parameter of fn needs a type", text: """
            A `fn` is a reusable template that is type-checked on its own, so each parameter
            declares what it accepts: `table`, `model`, a row function `T -> bool` over a table
            parameter `T`, or a value type (`int`, `fixed`, `ratio`, `bool`, `digest`,
            `ratio per group`, ...). `let` functions may leave parameters untyped; they are
            checked where they are used.

                fn share(selected: rows -> bool, rows: table) -> ratio = rate(r in rows: selected(r))
            """)
        case .expansionTooLarge: return Explanation(title: "policy too large after inlining", text: """
            Every function call is inlined. The expanded policy exceeds 100,000 expression
            nodes, nests calls more than 64 deep, or nests expressions more than 1,000 levels
            deep, which no circuit should need. Look for functions that call other functions
            many times, or deep inside nested expressions.
            """)
        case .notAValue: return Explanation(title: "not a value", text: """
            The name refers to a table, a model, a function or a module, which cannot be used as a
            value here. Tables are used in aggregates (`count(a in applicants)`), models are
            applied to tensors (`scorer(a.features)`), functions are called.
            """)
        case .typeMismatch: return Explanation(title: "type mismatch", text: """
            The expression has a different type than the place requires (a `bool` where a number
            is expected, a `ratio` for an `int` parameter, a non-integer for an `int`, ...).
            Numeric types widen implicitly from `int` to `fixed` to `ratio`; nothing narrows.
            """)
        case .invalidOperands: return Explanation(title: "operator cannot be applied", text: """
            The operator does not accept these operand types: arithmetic needs numbers, `and`,
            `or` and `not` need `bool`, `<` and friends need numbers, `==` needs two values of the
            same kind (numbers, bools, digests, or enum values with the same cases). Tensors must
            be indexed before arithmetic, and digests only compare for equality.
            """)
        case .wrongArgumentCount: return Explanation(title: "wrong number of arguments", text: """
            The call passes more or fewer arguments than the function, model or built-in takes.
            Models take exactly one tensor.
            """)
        case .invalidArgumentLabel: return Explanation(title: "invalid argument label", text: """
            A labelled argument (`by: group`) must name a parameter of the function (its label,
            which is its name unless declared as `by group: ...`), each parameter may be given
            once, and positional arguments come before labelled ones.
            """)
        case .notCallable: return Explanation(title: "not callable", text: """
            Only functions (`let` with parameters, `fn`), models and built-ins (`abs`, `min`,
            `max`, `commit` and the aggregates) can be called.
            """)
        case .invalidIndex: return Explanation(title: "invalid index", text: """
            Only tensors can be indexed, with constant integer indices within their dimensions
            (0-based): `scorer(a.features)[1]` on a `tensor[2]`. One index per dimension at most.
            """)
        case .modelInputMismatch: return Explanation(title: "model input does not match its declaration", text: """
            A model is applied to exactly one tensor whose shape equals the declared input shape,
            e.g. a `tensor[20]` for `model scorer: onnx tensor[20] -> tensor[2] private`.
            """)
        case .aggregateBody: return Explanation(title: "aggregate body missing or not allowed", text: """
            `count(a in t where p)` counts rows and takes no body. `rate`, `sum`, `mean`, `min`,
            `max`, `all` and `any` need one after `:`: `rate(a in t where p: approved(a))` is the
            share of rows satisfying `p` for which the body holds.
            """)
        case .groupKeyNotEnum: return Explanation(title: "group key is not an enum", text: """
            `by KEY` groups rows by an enum value of the row, usually a field
            (`by a.group`). Numbers and bools cannot group: declare the field as an enum.
            """)
        case .perGroupValueNotReduced: return Explanation(title: "per-group value used as a single value", text: """
            A grouped aggregate (`rate(a in t by a.group: ...)`) gives one value per group. Reduce
            it to one value before comparing or computing with it: `max(...)`, `min(...)`, or a
            library function such as `fairness.gap(...)` (max − min).
            """)
        case .ruleNotBool: return Explanation(title: "rule is not a bool", text: """
            A rule states a condition the proof establishes, so its expression must be a `bool`,
            usually a comparison with a threshold: `rule r: accuracy >= 70%`.
            """)
        case .invalidParamValue: return Explanation(title: "invalid parameter", text: """
            A `param` has a value type (`int`, `fixed`, `ratio`, `bool`) and a literal value of
            that type: `param max_gap: ratio = 5%`. The value is public and can be overridden when
            proving with `--param max_gap=4%`, within the declared domain.
            """)
        case .invalidCommitTarget: return Explanation(title: "commit of something that is not a model or table", text: """
            `commit(x)` is the commitment (a digest) of a model or a data table declared in the
            policy, compared with a published `commitment`: `commit(scorer) == scorer_digest`.
            """)
        case .expectedTable: return Explanation(title: "expected a table", text: """
            An aggregate ranges over a table: `count(a in applicants)`, where `applicants` is a
            `data` declaration or a `table` parameter of the enclosing `fn`.
            """)
        case .expectedRowFunction: return Explanation(title: "expected a row function", text: """
            The parameter is a function of a row (declared `T -> bool`, `T -> enum`, ...). Pass
            the name of a `let` or `fn` taking one row, or the name of a field of the table:
            `fairness.parity_gap(approved, applicants, by: group)`.
            """)
        case .invalidRange: return Explanation(title: "invalid range", text: """
            A range `in LO..HI` bounds a number: LO must not exceed HI, `int` ranges need integer
            bounds, and only `int`, `fixed`, `ratio` and numeric tensors take ranges.
            """)
        case .invalidTensorShape: return Explanation(title: "invalid tensor shape", text: """
            Tensor dimensions are positive integers, at most 8 of them, with at most 1,048,576
            elements in all: `tensor[20]`, `tensor[28, 28]`.
            """)
        case .columnCountMismatch: return Explanation(title: "column binding does not match the field", text: """
            A `tensor[n]` field binds n CSV columns; an explicit list or range must name exactly n
            (`features: tensor[20] from f0..f19`). A scalar field binds one column (`from "age"`).
            """)
        case .invalidTypeHere: return Explanation(title: "type not allowed here", text: """
            Some types only make sense in some places: `table { ... }` only in a `data`
            declaration, bare `table`, `model` and row functions only as `fn`/`let` parameters,
            `tensor` for model signatures and table fields, and `param`s are `int`, `fixed`,
            `ratio` or `bool`.
            """)
        case .invalidMemberAccess: return Explanation(title: "invalid member access", text: """
            `x.name` reads a field of a row (`a.group`) or a member of an imported module
            (`fairness.parity_gap`). Other values have no members; a row of a generic table
            parameter has no known fields (pass a row function instead).
            """)
        case .modelSignatureMismatch: return Explanation(title: "model declaration does not match the ONNX file", text: """
            When a policy is compiled with its models (`zkpolicyc compile --model M.onnx`, `prove`),
            each `model NAME: onnx INPUT -> OUTPUT` declaration is checked against the ONNX graph:
            the graph must take one input whose per-sample shape is INPUT, and have an output whose
            per-sample shape is OUTPUT (for a classifier, its probabilities). Fix the declaration or
            pass the intended model; `zkpolicyc model info M.onnx` prints the graph's signature.
            """)
        case .valueOutOfSafeRange: return Explanation(title: "value may exceed the circuit's safe range", text: """
            The circuit computes modulo the prime p = 2^64 − 2^32 + 1, so every intermediate
            integer (counts, sums, fixed-point values scaled by 2^16, numerators and denominators
            of ratios and their cross products) must stay below 2^62 in magnitude, or it would
            silently wrap around. Interval analysis found a value that may not. Bound the inputs it
            depends on (`income: fixed in 0..1000000` instead of the default range) or simplify.
            Tables have at most 2^24 rows (16,777,216), which bounds counts and sums.
            """)
        case .constantComparison: return Explanation(title: "comparison is always true or always false", text: """
            Interval analysis shows the comparison has the same outcome for all data: the
            threshold is outside the domain of the value (a rate compared with 150%, a count with a
            negative number). A rule that cannot fail proves nothing; fix the threshold.
            """)
        case .paramOutOfDomain: return Explanation(title: "parameter value outside its domain", text: """
            A parameter's value must lie in its declared domain (`param p: ratio in 0..1 = 5%`).
            Without a domain, `ratio` parameters range over 0..1 (0% to 100%), `int` over 32-bit
            signed integers and `fixed` over −2^31..2^31.
            """)
        case .invalidDivisor: return Explanation(title: "invalid divisor", text: """
            Division is exact (the result is a `ratio`). The divisor must not be the constant zero
            and must not change sign over its range, so that the comparison of the result can be
            done by cross-multiplication. A divisor that may be zero is checked when proving.
            """)
        }
    }
}
