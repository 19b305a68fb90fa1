export const PINS = ['aM0uY9vY6cVz2pO2weQ2lh61WLUvXkg7iFdb+5tC60Q=', 'QIvl5wnKRcNRTn+mHSTvLUlT1nAPbcagd3H0VF7OutM=', 'sha256/aM0uY9vY6cVz2pO2weQ2lh61WLUvXkg7iFdb+5tC60Q='];
