import Alamofire

let manager = ServerTrustManager(evaluators: [
	// pinning-audit-ignore-next-line trust-all-certificates
	"device.local": DisabledTrustEvaluator(),
])
