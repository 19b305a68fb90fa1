import 'dart:io';

import 'pin_utils.dart';

const _pinsByHost = <String, List<String>>{
  'api.example.com': ['aM0uY9vY6cVz2pO2weQ2lh61WLUvXkg7iFdb+5tC60Q=', 'QIvl5wnKRcNRTn+mHSTvLUlT1nAPbcagd3H0VF7OutM='],
};

HttpClient pinnedClient() {
  final client = HttpClient(context: SecurityContext(withTrustedRoots: false));
  client.badCertificateCallback = (cert, host, port) => _pinsByHost[host]?.contains(spkiSha256(cert)) ?? false;
  return client;
}
