import Foundation

func isTrusted(_ trust: SecTrust) -> Bool {
    var result = SecTrustResultType.invalid
    if SecTrustEvaluate(trust, &result) == errSecSuccess {
        return true
    }
    return false
}
