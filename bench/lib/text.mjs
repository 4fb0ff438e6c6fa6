// Deterministic pseudo-random text for the benchmarks: every run (and ours and the floor's side of
// one) works on the same data. One generator per benchmark script: its calls, in order, make the data.
const CHAT_WORDS = "await async auth buffer cache class compact compose config coverage database deploy docker endpoint env error export fixture format function import index jwt key lint logging method metrics middleware migration mock module package pipeline promise query refactor resume retry rotate schema secret session span stream switch test timeout token trace validate".split(" ");

export function seededText(seed = 42) {
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const pick = (items) => items[Math.floor(rand() * items.length)];
  // A Zipf-like vocabulary for search: "code" is common, most words are rare.
  const vocabulary = Array.from({ length: 3000 }, (_, i) => `w${i.toString(36)}x`);
  vocabulary[0] = "code";
  return {
    rand,
    pick,
    /** A word of a coding chat's vocabulary. */
    chatWord: () => pick(CHAT_WORDS),
    /** `n` words of a coding chat, capitalised, with a full stop. */
    sentence(n) {
      const words = Array.from({ length: n }, () => pick(CHAT_WORDS));
      words[0] = words[0][0].toUpperCase() + words[0].slice(1);
      return `${words.join(" ")}.`;
    },
    /** `n` words of the Zipf-like vocabulary. */
    zipfSentence: (n) => Array.from({ length: n }, () => vocabulary[Math.floor(vocabulary.length * rand() ** 3)]).join(" "),
  };
}
