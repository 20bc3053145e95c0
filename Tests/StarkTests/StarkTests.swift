import Testing
@testable import Stark
