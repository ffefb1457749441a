'use strict';

const express = require('express');
const _ = require('lodash');

/** Totals of an order's lines, grouped by category and sorted by name. */
function summarize(lines) {
  const byCategory = _.groupBy(lines, 'category');
  return _.sortBy(
    Object.entries(byCategory).map(([category, items]) => ({
      category,
      count: _.sumBy(items, 'quantity'),
      total: _.round(
        _.sumBy(items, (item) => item.quantity * item.price),
        2,
      ),
    })),
    'category',
  );
}

/** An express app serving the summary of the order posted as JSON. */
function createApp() {
  const app = express();
  app.use(express.json());
  app.post('/summary', (request, response) => {
    if (!Array.isArray(request.body)) {
      response.status(400).json({ error: 'expected an array of order lines' });
      return;
    }
    response.json(summarize(request.body));
  });
  return app;
}

module.exports = { createApp, summarize };
