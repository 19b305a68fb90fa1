import 'dart:io';

HttpClient buildClient() {
  final client = HttpClient();
  if (Platform.environment.containsKey('LOCAL_PROXY')) {
      // pinning-audit-ignore-next-line trust-all-certificates
      client.badCertificateCallback = (cert, host, port) => true;
  }
  return client;
}
