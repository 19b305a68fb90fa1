import superagent from 'superagent';

export function status() {
  return superagent.get('https://api.example.com/status').timeout(5000);
}
