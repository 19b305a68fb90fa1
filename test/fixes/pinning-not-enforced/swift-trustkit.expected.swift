import TrustKit

let config: [String: Any] = [
    kTSKPinnedDomains: [
        "api.example.com": [
            kTSKEnforcePinning: true,
            kTSKPublicKeyHashes: ["rRIWCfZp0tPPw1BxSzH7ognw+k0qFCuKOkXXtYVaclg=", "Ho3gEv5En2rTd9p7RYjHsmhVUxZm36TPma0xTGwmtK4="],
        ],
    ],
]
