/** Lower case without accents: how titles are compared in search ("Café" finds "cafe"). */
export function foldForSearch(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}+/gu, "").toLowerCase();
}
