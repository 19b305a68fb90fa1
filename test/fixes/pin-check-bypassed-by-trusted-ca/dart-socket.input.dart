import 'dart:io';

import 'pin_utils.dart';

const _pins = ['aM0uY9vY6cVz2pO2weQ2lh61WLUvXkg7iFdb+5tC60Q=', 'QIvl5wnKRcNRTn+mHSTvLUlT1nAPbcagd3H0VF7OutM='];

Future<SecureSocket> connect() {
  return SecureSocket.connect(
    'api.example.com',
    443,
    onBadCertificate: (cert) => _pins.contains(spkiSha256(cert)),
  );
}
