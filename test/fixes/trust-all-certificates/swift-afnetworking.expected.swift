import AFNetworking

func makeManager() -> AFHTTPSessionManager {
    let manager = AFHTTPSessionManager()
    manager.securityPolicy.allowInvalidCertificates = false
    return manager
}
