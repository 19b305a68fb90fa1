import 'package:grpc/grpc.dart';

ClientChannel channel() {
  return ClientChannel(
    'api.example.com',
    options: const ChannelOptions(credentials: ChannelCredentials.secure(authority: 'api.example.com', onBadCertificate: allowBadCertificates)),
  );
}
