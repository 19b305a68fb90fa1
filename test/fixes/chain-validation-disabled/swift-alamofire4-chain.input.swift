import Alamofire

let serverTrustPolicies: [String: ServerTrustPolicy] = [
    "api.example.com": .pinPublicKeys(
        publicKeys: ServerTrustPolicy.publicKeys(),
        validateCertificateChain: false,
        validateHost: true
    ),
]
