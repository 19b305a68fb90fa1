import Alamofire
import Foundation
import TrustKit

/// Alamofire 5: one evaluator per host.
enum APISession {
    static let evaluators: [String: ServerTrustEvaluating] = [
        // Pins the key, but accepts it for any host name the certificate was issued for.
        "api.example.com": PublicKeysTrustEvaluator(validateHost: false),
        // Pins the key with no chain validation at all: expired or revoked certificates pass.
        "uploads.example.com": PublicKeysTrustEvaluator(performDefaultValidation: false, validateHost: false),
        // "Temporarily" accepts any CA-signed certificate for any domain.
        "staging.example.com": DefaultTrustEvaluator(validateHost: false),
    ]

    static let session = Session(serverTrustManager: ServerTrustManager(evaluators: evaluators))
}

/// TrustKit, started from the app delegate.
enum Pinning {
    static func start() {
        let configuration: [String: Any] = [
            kTSKSwizzleNetworkDelegates: false,
            kTSKPinnedDomains: [
                "mobile.example.com": [
                    // Left in report-only mode after the rollout.
                    kTSKEnforcePinning: false,
                    kTSKIncludeSubdomains: true,
                    kTSKPublicKeyHashes: [
                        "8wI2AK0jqHPxxhUaAhM4Zxey/1KeybsjUWZj519o4DE=",
                        "YLh1dUR9y6Kja30RrAn7JKnbQG/uEtLMkBgFF2Fuihg=",
                    ],
                ],
                "cdn.example.com": [
                    // One pin: TrustKit refuses to start with it, and a key rotation would lock users out.
                    kTSKPublicKeyHashes: ["Vjs8r4z+80wjNcr1YKepWQboSIRi63WsWXhIMN+eWys="],
                ],
            ],
        ]
        TrustKit.initSharedInstance(withConfiguration: configuration)
    }
}
