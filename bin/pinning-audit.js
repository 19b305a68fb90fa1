#!/usr/bin/env node
require('./load-bundle.js').loadBundle(require('node:path').join(__dirname, '..', 'dist', 'cli.js'));
