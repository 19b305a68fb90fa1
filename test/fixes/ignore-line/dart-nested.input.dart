import 'dart:io';

HttpClient buildClient() {
  final client = HttpClient();
  if (Platform.environment.containsKey('LOCAL_PROXY')) {
      client.badCertificateCallback = (cert, host, port) => true;
  }
  return client;
}
