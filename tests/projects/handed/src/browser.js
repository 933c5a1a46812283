// A helper that launches a fresh browser per call: its caller owns it.
const puppeteer = require('puppeteer');

async function openBrowser() {
  const browser = await puppeteer.launch({ headless: true });
  return browser;
}

// Not a fresh browser: one shared instance, made once.
let shared = null;
async function sharedBrowser() {
  if (!shared) shared = await puppeteer.launch();
  return shared;
}

module.exports = { openBrowser, sharedBrowser };
