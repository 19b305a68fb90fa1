import Alamofire

let serverTrustPolicies: [String: ServerTrustPolicy] = [
    "dev.example.com": .customEvaluation({ _, _ in true }),
]
