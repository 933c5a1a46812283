const { openBrowser, sharedBrowser } = require('./browser');

async function renderPng(url) {
  const browser = await openBrowser();
  const page = await browser.newPage();
  await page.goto(url);
  return page.screenshot();
}

async function renderPngClosed(url) {
  const browser = await openBrowser();
  try {
    const page = await browser.newPage();
    await page.goto(url);
    return await page.screenshot();
  } finally {
    await browser.close();
  }
}

async function renderShared(url) {
  const browser = await sharedBrowser();
  const page = await browser.newPage();
  try {
    await page.goto(url);
    return await page.screenshot();
  } finally {
    await page.close();
  }
}

module.exports = { renderPng, renderPngClosed, renderShared };
