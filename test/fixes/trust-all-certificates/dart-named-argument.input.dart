import 'dart:io';

Future<SecureSocket> connect() {
  return SecureSocket.connect(
    'api.example.com',
    443,
    onBadCertificate: (cert) => true,
    timeout: const Duration(seconds: 5),
  );
}
