import 'dart:io';

import 'pin_utils.dart';

const _pins = {
  'aM0uY9vY6cVz2pO2weQ2lh61WLUvXkg7iFdb+5tC60Q=',
  'QIvl5wnKRcNRTn+mHSTvLUlT1nAPbcagd3H0VF7OutM=',
};

HttpClient pinnedClient() {
  final client = HttpClient(context: SecurityContext(withTrustedRoots: false));
  client.badCertificateCallback = (X509Certificate cert, String host, int port) => host == 'api.example.com' && (_pins.contains(spkiSha256(cert)) || isPinnedElsewhere(cert));
  return client;
}
