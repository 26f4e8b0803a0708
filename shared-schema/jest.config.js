module.exports = require('../jest.preset.js')(__dirname, 'shared-schema');
