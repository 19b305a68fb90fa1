import Foundation

func evaluate(_ serverTrust: SecTrust) throws {
    var result: SecTrustResultType = .invalid
    guard SecTrustEvaluate(serverTrust, &result) != noErr else { return }
    throw URLError(.serverCertificateUntrusted)
}
