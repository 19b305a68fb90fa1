import AFNetworking

func makeManager() -> AFHTTPSessionManager {
    let manager = AFHTTPSessionManager()
    let policy = AFSecurityPolicy(pinningMode: .publicKey)
    policy.allowInvalidCertificates = true
    manager.securityPolicy = policy
    return manager
}
