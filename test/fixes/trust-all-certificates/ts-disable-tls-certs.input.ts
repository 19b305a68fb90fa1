import superagent from 'superagent';

export function status() {
  return superagent.get('https://api.example.com/status').disableTLSCerts().timeout(5000);
}
