class SslPins {
  static const pins = <String>{
    'aM0uY9vY6cVz2pO2weQ2lh61WLUvXkg7iFdb+5tC60Q=',
    'QIvl5wnKRcNRTn+mHSTvLUlT1nAPbcagd3H0VF7OutM=',
  };
}
