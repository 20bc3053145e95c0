#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension ConstantTensor {
    /// Converts a TensorProto, checking that the declared shape and the data
    /// present agree exactly before allocating anything for it.
    init(proto t: Onnx_TensorProto, context: String, limits: DecodingLimits) throws {
        if t.dataLocation == 1 || !t.externalData.isEmpty {
            let location = t.externalData.first { $0.key == "location" }?.value ?? "?"
            throw ModelError.unsupported(
                "\(context) keeps its data in an external file ('\(location)'); save the model with its "
                + "weights inside (onnx.save_model(model, path, save_as_external_data=False))")
        }
        if t.hasSegment { throw ModelError.unsupported("\(context) is a segmented tensor") }
        guard t.dims.count <= limits.maxRank else {
            throw ModelError.unsupported("\(context) has rank \(t.dims.count), more than \(limits.maxRank)")
        }
        var count = 1
        var shape: [Int] = []
        for d in t.dims {
            guard d >= 0, d <= Int64(Int32.max) else { throw ModelError.invalid("\(context) has dimension \(d)") }
            let (product, overflow) = count.multipliedReportingOverflow(by: Int(d))
            guard !overflow, product <= limits.maxTensorElements else {
                throw ModelError.unsupported("\(context) has more than \(limits.maxTensorElements) elements")
            }
            count = product
            shape.append(Int(d))
        }
        guard let type = ElementType(rawValue: t.dataType) else {
            throw ModelError.unsupported("\(context) has unsupported element type \(t.dataType)")
        }
        name = t.name
        elementType = type
        self.shape = shape

        let raw = t.hasRawData ? [UInt8](t.rawData) : nil
        func checkCount(_ present: Int, _ what: String) throws {
            guard present == count else {
                throw ModelError.invalid("\(context): shape \(shape) needs \(count) values but \(what) holds \(present)")
            }
        }
        func rawValues(width: Int) throws -> [UInt64]? {
            guard let raw else { return nil }
            let (bytes, overflow) = count.multipliedReportingOverflow(by: width)
            guard !overflow, bytes == raw.count else {
                throw ModelError.invalid(
                    "\(context): shape \(shape) of \(type) needs \(count * width) bytes but raw_data holds \(raw.count)")
            }
            var out = [UInt64](repeating: 0, count: count)
            for i in 0..<count {
                var v: UInt64 = 0
                for b in 0..<width { v |= UInt64(raw[i * width + b]) << (8 * b) }   // little-endian
                out[i] = v
            }
            return out
        }
        func signExtend(_ v: UInt64, bits: Int) -> Int64 {
            Int64(bitPattern: v << (64 - bits)) >> (64 - bits)
        }

        switch type {
        case .float:
            if let bits = try rawValues(width: 4) {
                values = .floats(bits.map { Double(Float(bitPattern: UInt32($0))) })
            } else {
                try checkCount(t.floatData.count, "float_data")
                values = .floats(t.floatData.map(Double.init))
            }
        case .double:
            if let bits = try rawValues(width: 8) {
                values = .floats(bits.map { Double(bitPattern: $0) })
            } else {
                try checkCount(t.doubleData.count, "double_data")
                values = .floats(t.doubleData)
            }
        case .float16, .bfloat16:
            let bits: [UInt64]
            if let r = try rawValues(width: 2) { bits = r } else {
                try checkCount(t.int32Data.count, "int32_data")
                bits = t.int32Data.map { UInt64(UInt16(truncatingIfNeeded: $0)) }
            }
            values = .floats(bits.map { type == .float16 ? halfToDouble(UInt16($0)) : Double(Float(bitPattern: UInt32($0) << 16)) })
        case .int8, .int16, .int32, .uint8, .uint16, .bool:
            let width = type == .int32 ? 4 : (type == .int16 || type == .uint16) ? 2 : 1
            let signed = type == .int8 || type == .int16 || type == .int32
            if let r = try rawValues(width: width) {
                values = .ints(r.map { signed ? signExtend($0, bits: width * 8) : Int64($0) })
            } else {
                try checkCount(t.int32Data.count, "int32_data")
                values = .ints(t.int32Data.map { Int64($0) })
            }
        case .int64:
            if let r = try rawValues(width: 8) {
                values = .ints(r.map { Int64(bitPattern: $0) })
            } else {
                try checkCount(t.int64Data.count, "int64_data")
                values = .ints(t.int64Data)
            }
        case .uint32, .uint64:
            let r: [UInt64]
            if let raw = try rawValues(width: type == .uint32 ? 4 : 8) { r = raw } else {
                try checkCount(t.uint64Data.count, "uint64_data")
                r = t.uint64Data
            }
            guard r.allSatisfy({ $0 <= UInt64(Int64.max) }) else {
                throw ModelError.unsupported("\(context): uint64 values beyond 2^63 are not supported")
            }
            values = .ints(r.map { Int64($0) })
        case .string:
            try checkCount(t.stringData.count, "string_data")
            values = .strings(try t.stringData.map {
                guard let s = String(validating: $0, as: UTF8.self) else {
                    throw ModelError.malformed("\(context): string is not valid UTF-8")
                }
                return s
            })
        }
    }
}

/// IEEE 754 binary16 to Double, exactly.
func halfToDouble(_ h: UInt16) -> Double {
    let sign: Double = h & 0x8000 != 0 ? -1 : 1
    let exponent = Int((h >> 10) & 0x1F)
    let fraction = Double(h & 0x3FF)
    switch exponent {
    case 0: return sign * fraction * 0x1p-24
    case 31: return fraction == 0 ? sign * .infinity : .nan
    default: return sign * (1 + fraction / 1024) * Double(sign: .plus, exponent: exponent - 15, significand: 1)
    }
}
