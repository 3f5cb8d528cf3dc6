package import LogfoldDomain

extension Money {
    /// The amount in integer cents, as every ActiveCampaign money field takes it.
    ///
    /// Sub-cent digits round half away from zero (`0.125` → 13 cents). `nil` when it does not fit 64 bits.
    package var cents: Int64? {
        if scale <= 2 {
            var factor: Int64 = 1
            for _ in scale..<2 { factor *= 10 }
            let (product, overflow) = mantissa.multipliedReportingOverflow(by: factor)
            return overflow ? nil : product
        }
        var divisor: Int64 = 1
        for _ in 2..<scale { divisor *= 10 }
        let (quotient, remainder) = mantissa.quotientAndRemainder(dividingBy: divisor)
        // Compared as magnitudes so negative amounts (refunds) round the same way as positive ones.
        let roundsAway = remainder.magnitude * 2 >= divisor.magnitude
        return roundsAway ? quotient + (mantissa < 0 ? -1 : 1) : quotient
    }
}
