import CryptoKit
import Foundation

private let rsa2048Asn1Header: [UInt8] = [
    0x30, 0x82, 0x01, 0x22, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
    0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00, 0x03, 0x82, 0x01, 0x0f, 0x00,
]

final class KeyPinner {
    func pin(for trust: SecTrust) -> String? {
        guard let publicKey = SecTrustCopyKey(trust) else { return nil }
        let keyData = SecKeyCopyExternalRepresentation(publicKey, nil)! as Data
        let spki = Data(rsa2048Asn1Header) + keyData
        return Data(SHA256.hash(data: spki)).base64EncodedString()
    }
}
