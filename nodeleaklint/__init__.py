"""nodeleaklint: find memory-leak patterns in Node.js JavaScript and TypeScript."""

__version__ = "0.1.0"
