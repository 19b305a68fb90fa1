import Foundation

func isTrusted(_ trust: SecTrust) -> Bool {
    var result = SecTrustResultType.invalid
    if SecTrustEvaluateWithError(trust, nil) {
        return true
    }
    return false
}
