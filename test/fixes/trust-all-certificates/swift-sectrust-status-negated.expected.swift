import Foundation

func evaluate(_ serverTrust: SecTrust) throws {
    var result: SecTrustResultType = .invalid
    guard !SecTrustEvaluateWithError(serverTrust, nil) else { return }
    throw URLError(.serverCertificateUntrusted)
}
