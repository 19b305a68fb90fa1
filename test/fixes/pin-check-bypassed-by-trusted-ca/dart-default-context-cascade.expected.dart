import 'dart:io';

import 'pin_utils.dart';

const _pinsByHost = <String, List<String>>{
  'api.example.com': ['aM0uY9vY6cVz2pO2weQ2lh61WLUvXkg7iFdb+5tC60Q=', 'QIvl5wnKRcNRTn+mHSTvLUlT1nAPbcagd3H0VF7OutM='],
};

bool _pinned(String host, X509Certificate cert) => _pinsByHost[host]?.contains(spkiSha256(cert)) ?? false;

HttpClient pinnedClient() {
  return HttpClient(context: SecurityContext(withTrustedRoots: false))
    ..badCertificateCallback = (cert, host, port) => _pinned(host, cert);
}
