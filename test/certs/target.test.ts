import * as assert from 'node:assert/strict';
import { formatTarget, parseTarget } from '../../common/certs/target';
import { oneLineError } from './assertions';

describe('certs: parseTarget', function () {
  const accepted: Array<[string, string, number]> = [
    ['example.com', 'example.com', 443],
    ['example.com:8443', 'example.com', 8443],
    ['127.0.0.1', '127.0.0.1', 443],
    ['127.0.0.1:4433', '127.0.0.1', 4433],
    ['[::1]:8443', '::1', 8443],
    ['[::1]', '::1', 443],
    ['::1', '::1', 443],
    ['https://example.com/some/path?q=1', 'example.com', 443],
    ['https://example.com:8443/', 'example.com', 8443],
    ['https://[::1]:9443/x', '::1', 9443],
    ['wss://chat.example.com/socket', 'chat.example.com', 443],
    ['wss://chat.example.com:7000', 'chat.example.com', 7000],
    ['ldaps://ldap.example.com', 'ldap.example.com', 636],
    ['  example.com  ', 'example.com', 443],
    ['bücher.example:443', 'xn--bcher-kva.example', 443],
  ];
  for (const [input, host, port] of accepted) {
    it(`reads '${input}'`, function () {
      assert.deepEqual(parseTarget(input), { host, port });
    });
  }

  const rejected: Array<[string, RegExp]> = [
    ['', /missing host/],
    ['example.com:0', /port must be a number from 1 to 65535/],
    ['example.com:70000', /port must be a number/],
    ['example.com:https', /port must be a number/],
    ['http://example.com', /not a TLS URL: use https:\/\//],
    ['ws://example.com', /not a TLS URL: use wss:\/\//],
    ['gopher://example.com', /no default TLS port/],
    ['https://', /not a valid URL/],
    ['[example.com]:443', /only IPv6 addresses go in brackets/],
    ['example.com/path', /is not a host name or IP address/],
    ['exa mple.com', /is not a host name or IP address/],
  ];
  for (const [input, message] of rejected) {
    it(`rejects '${input}' with one line`, function () {
      assert.throws(() => parseTarget(input), oneLineError(message));
    });
  }

  it('formats IPv6 targets in brackets', function () {
    assert.equal(formatTarget('::1', 443), '[::1]:443');
    assert.equal(formatTarget('example.com', 443), 'example.com:443');
  });
});
