export { track } from './track.js';
export { default as warmUp } from './track.js';
