// Runes everywhere: the app is written for Svelte 5 only.
export default {
  compilerOptions: {
    runes: true,
  },
};
