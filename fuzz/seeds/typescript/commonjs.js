const { Router } = require('express');
const r = Router();
r.get('/x', (req, res) => res.json({}));
module.exports = exports = r;
exports.x = async function () { await import('./y'); };
