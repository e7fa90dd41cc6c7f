'use strict';
/**
 * Synthetic multi-session dialogue set for the memory retrieval evaluation (bench/memory/eval.js,
 * the ranking experiments) and the content of the search-latency benchmark.
 *
 * Deterministic: the same seed gives byte-identical output. Each persona is one namespace with
 * ~10 sessions spaced days apart; each session is 10-20 user/assistant turns of template
 * chit-chat (the distractors, which deliberately reuse the vocabulary of the facts: names,
 * work, flights, dogs, allergies, cities...) into which fact blocks are spliced. Questions are
 * asked after the last session and list the ids of their evidence turns.
 *
 * Question types (by construction; `node bench/memory/dataset.js --check` verifies the surface
 * rules on the generated text):
 *   lexical     the question shares at least one content word, in the same form, with the evidence
 *   inflection  no content word in the same form, but one of the same family in another form
 *               (allergic/allergies, Tuesdays/Tuesday, broke/break, ate/eat, working/work)
 *   paraphrase  no content word in common at all (synonyms, other wording)
 *   neighbour   the answer is a short reply ("Maya.") to the assistant's question ("What's your
 *               sister's name?"): the evidence is both turns, the reply has none of the words
 *   update      the fact changed later ("we moved from Berlin to Lisbon"); the evidence is the
 *               turn with the current value, the older statement is a distractor
 *   multi       the answer is spread over two sessions (two allergies, two pets...); the
 *               evidence is both turns
 * About a third of the questions are wrapped the way people ask ("Remind me, ...", "... I forgot.").
 *
 * The set was written before any ranking variant was measured and is not tuned to one.
 *
 * CLI: node bench/memory/dataset.js --stats [--seed N] [--personas N]
 *      node bench/memory/dataset.js --check        label checks (exit 1 on a violation)
 *      node bench/memory/dataset.js --dump [persona-index]   one persona's sessions and questions
 */

const DEFAULT_SEED = 20260515;
const DEFAULT_PERSONAS = 48;
const SESSIONS = 10;
const DAY = 86_400_000;
const START = Date.UTC(2025, 0, 6, 0, 0, 0);

// ---------------------------------------------------------------------------------------------
// Seeded randomness

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  constructor(seed) {
    this.next = mulberry32(seed);
  }
  int(min, max) {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p) {
    return this.next() < p;
  }
  pick(items) {
    return items[Math.floor(this.next() * items.length)];
  }
  shuffle(items) {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }
  sample(items, n) {
    return this.shuffle(items).slice(0, n);
  }
}

/** `{key}` placeholders; `{Key}` capitalises the value. */
function fill(template, vars) {
  return template.replace(/\{(\w+)\}/g, (whole, key) => {
    const lower = key[0].toLowerCase() + key.slice(1);
    if (vars[key] !== undefined) return String(vars[key]);
    if (vars[lower] !== undefined) {
      const v = String(vars[lower]);
      return v[0].toUpperCase() + v.slice(1);
    }
    throw new Error(`no value for {${key}} in "${template}"`);
  });
}

// ---------------------------------------------------------------------------------------------
// Value pools

const WOMEN = [
  'Maya',
  'Priya',
  'Aiko',
  'Leila',
  'Nadia',
  'Ines',
  'Zoe',
  'Hana',
  'Amara',
  'Elif',
  'Sofia',
  'Chloe',
  'Freya',
  'Yara',
  'Noor',
  'Mila',
  'Greta',
  'Rosa',
  'Talia',
  'Wren',
  'Ingrid',
  'Lucia',
  'Esme',
  'Keiko',
];
const MEN = [
  'Jonas',
  'Tomas',
  'Oskar',
  'Felix',
  'Rafael',
  'Mateo',
  'Lucas',
  'Noah',
  'Kenji',
  'Arjun',
  'Diego',
  'Emil',
  'Ivan',
  'Omar',
  'Theo',
  'Anton',
  'Idris',
  'Milo',
  'Pavel',
  'Soren',
  'Caleb',
  'Hugo',
  'Ravi',
  'Bruno',
];
const PET_NAMES = [
  'Rex',
  'Luna',
  'Biscuit',
  'Pepper',
  'Mochi',
  'Ziggy',
  'Olive',
  'Nala',
  'Waffles',
  'Pickle',
  'Kiwi',
  'Ollie',
  'Juniper',
  'Taco',
  'Clover',
  'Pudding',
  'Banjo',
  'Sprout',
  'Noodle',
  'Marble',
  'Cosmo',
  'Fig',
  'Pixel',
  'Hazel',
];
const SPECIES = ['dog', 'cat', 'rabbit', 'parrot', 'tortoise', 'hamster', 'ferret', 'guinea pig'];
const CITIES = [
  'Berlin',
  'Lisbon',
  'Toronto',
  'Melbourne',
  'Osaka',
  'Denver',
  'Edinburgh',
  'Valencia',
  'Montreal',
  'Prague',
  'Seattle',
  'Nairobi',
  'Copenhagen',
  'Austin',
  'Porto',
  'Krakow',
  'Dublin',
  'Auckland',
  'Utrecht',
  'Bologna',
  'Vancouver',
  'Glasgow',
  'Seville',
  'Helsinki',
];
const COUNTRIES = [
  'Japan',
  'Peru',
  'Iceland',
  'Morocco',
  'Vietnam',
  'Norway',
  'Mexico',
  'Greece',
  'Portugal',
  'New Zealand',
  'Kenya',
  'Canada',
  'Chile',
  'Georgia',
  'Sri Lanka',
  'Scotland',
  'Croatia',
  'Jordan',
  'Argentina',
  'Thailand',
];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const JOBS = [
  'nurse',
  'software engineer',
  'architect',
  'high school teacher',
  'accountant',
  'graphic designer',
  'pharmacist',
  'electrician',
  'journalist',
  'veterinarian',
  'data analyst',
  'chef',
  'physiotherapist',
  'librarian',
  'civil engineer',
  'dentist',
  'paramedic',
  'translator',
  'lab technician',
  'product manager',
];
const COMPANIES = [
  'Northwind',
  'Brightline Labs',
  'Cobalt Health',
  'Harbor & Finch',
  'Tessellate',
  'Greenway Logistics',
  'Pinecrest Hospital',
  'Atlas Bank',
  'Lumen Studio',
  'Riverside Clinic',
  'Quarry Media',
  'Foxglove Foods',
  'Meridian Power',
  'Saltmarsh Press',
  'Kestrel Systems',
  'Oakridge School',
  'Bluefin Analytics',
  'Copperleaf Design',
];
const ALLERGENS = [
  'peanuts',
  'shellfish',
  'sesame',
  'tree nuts',
  'kiwi',
  'eggs',
  'mustard',
  'soy',
  'strawberries',
  'celery',
];
const DIETS = ['vegetarian', 'vegan', 'pescatarian'];
const CUISINES = [
  'Thai',
  'Ethiopian',
  'Korean',
  'Lebanese',
  'Mexican',
  'Sichuan',
  'Georgian',
  'Peruvian',
  'Vietnamese',
  'Turkish',
];
const GENRES = [
  'jazz',
  'K-pop',
  'synth-pop',
  'bluegrass',
  'techno',
  'opera',
  'afrobeat',
  'punk',
  'bossa nova',
  'grunge',
];
const HOBBIES = [
  'pottery',
  'bouldering',
  'salsa',
  'life drawing',
  'improv',
  'rowing',
  'woodworking',
  'choir',
  'fencing',
  'ceramics',
];
const INSTRUMENTS = [
  'cello',
  'ukulele',
  'saxophone',
  'violin',
  'banjo',
  'trumpet',
  'harp',
  'drums',
];
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday'];
const INJURIES = [
  ['wrist', 'skiing'],
  ['ankle', 'playing football'],
  ['collarbone', 'cycling to work'],
  ['finger', 'at the climbing gym'],
  ['arm', 'skateboarding'],
  ['toe', 'on the stairs'],
];
const CARS = [
  'Volvo estate',
  'Honda Civic',
  'Fiat Panda',
  'Toyota Prius',
  'Mini Cooper',
  'Subaru Outback',
  'Skoda Octavia',
  'Kia Niro',
  'Ford Fiesta',
  'VW Golf',
];
const TEAS = ['green tea', 'rooibos', 'chai', 'peppermint tea', 'matcha', 'oolong'];
const SURNAMES = [
  'Okafor',
  'Lindqvist',
  'Moreau',
  'Tanaka',
  'Castillo',
  'Byrne',
  'Novak',
  'Haddad',
  'Petrov',
  'Mensah',
  'Kowalski',
  'Fischer',
  'Delgado',
  'Nakamura',
];

// Filler-only pools.
const FOODS = [
  'lasagne',
  'ramen',
  'tacos',
  'banana bread',
  'curry',
  'risotto',
  'pancakes',
  'falafel',
  'soup',
  'dumplings',
  'paella',
  'chili',
  'sourdough',
  'stir fry',
  'pho',
  'shakshuka',
];
const SHOWS = [
  'that baking show',
  'the new detective series',
  'a nature documentary',
  'the space drama',
  'a cooking competition',
  'the courtroom series',
  'an old sitcom',
  'the heist miniseries',
  'a documentary about octopuses',
  'the fantasy epic',
];
const BOOKS = [
  'a thriller',
  'a history of salt',
  'a sci-fi novel',
  'a memoir by a chef',
  'a book about habits',
  'a Scandinavian crime novel',
  'a poetry collection',
  'a biography of a chess player',
];
const WEATHER = [
  'pouring rain',
  'glorious sunshine',
  'freezing fog',
  'a heatwave',
  'gale-force wind',
  'snow',
  'drizzle all day',
  'a thunderstorm',
];
const THINGS = [
  'the dishwasher',
  'my laptop',
  'the washing machine',
  'the boiler',
  'my phone',
  'the router',
  'the kettle',
  'my bike',
  'the printer',
  'the fridge',
];
const SPORTS = [
  'football',
  'tennis',
  'basketball',
  'the cycling',
  'rugby',
  'cricket',
  'the snooker',
  'volleyball',
];
const PLACES = [
  'the farmers market',
  'the library',
  'the park',
  'the new cafe',
  'the garden centre',
  'the museum',
  'the flea market',
  'the beach',
  'the bakery',
  'the cinema',
];
const ANIMALS = ['dog', 'cat', 'fox', 'squirrel', 'puppy', 'kitten', 'heron', 'pigeon', 'hedgehog'];
const NUMS = ['two', 'three', 'four', 'five', 'six', 'seven', 'eight'];

// ---------------------------------------------------------------------------------------------
// Filler chit-chat. Topics of user lines and assistant lines; they share vocabulary with the
// facts on purpose (names, work, flights, pets, allergies, cities, family, music, cars).

const TOPICS = {
  weather: {
    user: [
      'It has been {weather} here since this morning.',
      'Forecast says {weather} all weekend, so much for the picnic.',
      'I got completely soaked walking back from {place}.',
      'Is it weird that I like {weather}? It makes me want to stay in and read.',
      'The city feels different in {weather}, everyone walks faster.',
      'My friend {friend} says it is sunny where she lives, I am jealous.',
      'I forgot my umbrella again, third time this month.',
    ],
    assistant: [
      'That sounds like a perfect excuse for a slow evening indoors.',
      'Weather like that can really drain your energy. Did you get outside at all?',
      'Maybe move the picnic indoors? A blanket on the living room floor still counts.',
      'A good waterproof jacket makes a surprising difference in weather like that.',
      'I hope it clears up for you soon!',
    ],
  },
  work: {
    user: [
      'Work was a blur today, {num} meetings back to back.',
      'My manager wants the report by Friday and I have not even started.',
      'Someone at work microwaved fish again. The whole floor smells.',
      'I spent the whole afternoon fixing a spreadsheet someone else broke.',
      'We had a team lunch at {place}, it was actually nice.',
      'My coworker {friend} is leaving, I will miss her jokes at standup.',
      'I keep forgetting the name of the new intern, it is embarrassing.',
      'The office coffee machine is broken and morale is at an all-time low.',
      'I worked late again, I need better boundaries.',
      'Got some nice feedback from a client today, small win.',
      'Our company is switching to a four-day week trial next month, fingers crossed.',
    ],
    assistant: [
      'That sounds exhausting. Did you manage to take a proper break at all?',
      'Back-to-back meetings are draining. Could you block out some focus time tomorrow?',
      'Small wins count! It is worth noting them down somewhere.',
      'If it helps, try batching your emails into two slots a day.',
      'A short walk between tasks can help reset your attention.',
      'Setting a hard stop time at work is hard but usually worth it.',
      'Want me to help you outline the report so it feels less daunting?',
    ],
  },
  food: {
    user: [
      'I made {food} tonight and it was honestly the best I have ever made.',
      'Tried a new recipe for {food}, it was a disaster.',
      'We ordered {food} again, I have no self-control.',
      'What should I cook this week? I am bored of {food}.',
      'Meal prep Sunday: {food} for four days, wish me luck.',
      'The bakery near me sells the best cinnamon buns in the city.',
      'My friend {friend} brought homemade {food} to the office.',
      'I burnt the rice, the whole flat smells of smoke.',
    ],
    assistant: [
      'That sounds delicious! What was the secret?',
      'How about a big tray bake? Minimal washing up and lots of leftovers.',
      'Batch cooking is a lifesaver on busy weeks.',
      'If you want, I can suggest a few quick weeknight recipes.',
      'A squeeze of lemon at the end fixes a lot of dishes.',
      'Ha, we all have those nights. Toast counts as dinner.',
    ],
  },
  tv: {
    user: [
      'We started watching {show} last night, I am hooked.',
      'I stayed up way too late finishing {show}.',
      'Can you recommend something like {show}? I need a new series.',
      'I cannot remember the name of the actor from {show}, it is driving me mad.',
      'The ending of {show} was so disappointing.',
      'I fell asleep halfway through {show}, again.',
    ],
    assistant: [
      'Oh, that one has a great second season. Enjoy!',
      'If you liked that, you might enjoy a slow-burn mystery next.',
      'Late-night binges are the best and the worst at the same time.',
      'Endings are hard to get right. Which part bothered you most?',
      'I can put together a short list of similar shows if you like.',
    ],
  },
  books: {
    user: [
      'I am reading {book} at the moment, it is surprisingly good.',
      'Book club picked {book} for next month.',
      'I have started three books and finished none of them.',
      'Found {book} at {place} for one euro.',
      'I read on the train every morning now, it beats scrolling.',
    ],
    assistant: [
      'That sounds like a great find. Are you enjoying it so far?',
      'Reading on the commute is a lovely habit.',
      'It is fine to drop a book you are not enjoying.',
      'Book clubs are a nice way to read things you would never pick yourself.',
    ],
  },
  errands: {
    user: [
      '{thing} stopped working this morning, of course.',
      'I spent an hour on hold trying to get {thing} fixed.',
      'Went to {place} and forgot the one thing I needed.',
      'My landlord finally sent someone to look at {thing}.',
      'I need to renew my passport, the queue online is ridiculous.',
      'Tidied the flat today and found a sock I lost in March.',
      'Had to take the car to the garage, the brakes were squeaking.',
      'Parking in the city centre is impossible on Saturdays.',
    ],
    assistant: [
      'Oh no. Have you tried turning it off and on again? Sometimes it really works.',
      'Being on hold is the worst. Did they at least sort it out?',
      'That is so annoying. Making a list on your phone might help next time.',
      'Passport renewals get busy before summer, it is worth doing it early.',
      'A tidy flat does wonders for the mood.',
    ],
  },
  fitness: {
    user: [
      'I went for a run this morning and my legs are jelly.',
      'Yoga class was brutal today.',
      'I want to start running again but I keep making excuses.',
      'Walked fifteen thousand steps today, mostly to {place} and back.',
      'My knees are complaining after the gym.',
      'Watching {sport} on TV counts as exercise, right?',
      'My friend {friend} is training for a triathlon, she is unstoppable.',
    ],
    assistant: [
      'Nice work getting out there! Remember to stretch.',
      'Starting small helps: even ten minutes three times a week builds the habit.',
      'Rest days matter as much as training days.',
      'Ha, it counts as cardio if the match is tense enough.',
      'Have you tried a beginner running plan? They ease you in gently.',
    ],
  },
  animals: {
    user: [
      'There is a {animal} that visits our garden every evening.',
      "My neighbour's dog barked all night, I barely slept.",
      '{friend} just got a puppy and sends me twenty photos a day.',
      'Saw the cutest {animal} at {place} today.',
      'A cat followed me home from the station.',
      'My cousin is looking for someone to look after her cat next week.',
      'Dog people and cat people, which one am I? Discuss.',
    ],
    assistant: [
      'That is adorable. Animals really brighten a day.',
      'Sleepless nights are rough. Earplugs might help until it settles down.',
      'Puppy photos are the best kind of spam.',
      'Ha, maybe you are both!',
      'Pet sitting can be really fun if you have the time.',
    ],
  },
  travel: {
    user: [
      'Flights to {country} are ridiculously expensive right now.',
      'My friend {friend} just got back from {country}, her photos are unreal.',
      'I would love to visit {city} someday.',
      'Airports stress me out, even when I am early.',
      'I found an old boarding pass from a trip to {city} in my jacket.',
      'Do you think it is worth taking the train to {city} for a weekend?',
      'Everyone at work is planning summer holidays already.',
      'I love flying but I hate the security queues.',
    ],
    assistant: [
      'Booking six to eight weeks ahead is usually a good rule for flights.',
      '{city} is lovely in the spring, the old town is very walkable.',
      'Trains are often more relaxing than flying for short trips.',
      'A packing list saves a lot of stress before a trip.',
      'Travel photos like that make everyone want to book something.',
    ],
  },
  family: {
    user: [
      'My family group chat is pure chaos this week.',
      'My mum called to ask how to send a photo, again.',
      "Sunday lunch at my parents' place, I am already full just thinking about it.",
      'My cousin is getting married next summer and the planning is intense.',
      'My dad has discovered podcasts and now sends me one every day.',
      'My aunt asked when I am going to settle down. Classic.',
      'The kids next door were playing football until nine.',
    ],
    assistant: [
      'Family group chats are a genre of their own.',
      'That is sweet, even if it is the fifth time.',
      'Sunday lunches are a lovely tradition.',
      'Weddings take a village to plan. Are you involved?',
      'Ha, some questions never change.',
    ],
  },
  health: {
    user: [
      'Allergy season is brutal this year, everyone on the bus is sneezing.',
      'I think I am coming down with a cold.',
      'Dentist appointment tomorrow, dreading it.',
      'I slept nine hours last night and still feel tired.',
      'I have been trying to drink more water, it is harder than it sounds.',
      'My back hurts from working on the sofa all week.',
      'Had my flu jab today, my arm is a bit sore.',
    ],
    assistant: [
      'Rest, fluids and something warm. I hope you feel better soon.',
      'A proper chair and a screen at eye level help a lot with back pain.',
      'Keeping a water bottle on your desk is an easy trick.',
      'Dentist visits are rarely as bad as the anticipation.',
      'Sometimes tiredness builds up over weeks. Be kind to yourself.',
    ],
  },
  music: {
    user: [
      'I had a song stuck in my head all day and I do not even know its name.',
      'Went to a concert at {place} last night, my ears are still ringing.',
      'My neighbour is learning the trumpet. At seven in the morning.',
      'Made a new playlist for the gym.',
      'I listened to a podcast about {book} on the way home.',
    ],
    assistant: [
      'Humming it into a song-finder app sometimes works!',
      'Live music is the best. Who was playing?',
      'Ha, at least they are dedicated.',
      'A good playlist makes any workout easier.',
    ],
  },
  tech: {
    user: [
      'My phone storage is full again, I have too many photos of food.',
      'I finally set up a password manager, feeling very grown-up.',
      'The Wi-Fi keeps dropping whenever I have a video call.',
      'I got a new laptop and spent the whole day installing things.',
      'Can you explain what a VPN actually does?',
    ],
    assistant: [
      'A password manager is one of the best security upgrades you can make.',
      'Moving the router or using a cable for calls can help a lot.',
      'Cloud backup and a quick cleanup of old videos usually frees plenty of space.',
      'A VPN encrypts your traffic and routes it through another server, which hides it from the local network.',
    ],
  },
  weekend: {
    user: [
      'Any ideas for this weekend? I want to do something new.',
      'We spent Saturday at {place} and it was lovely.',
      'Lazy Sunday, I have not left the sofa.',
      'I have a free evening for once and no idea what to do with it.',
      'Went to a board game night with {friend}, I lost every game.',
      'Garden is finally looking nice after all the weeding.',
    ],
    assistant: [
      'How about a day trip somewhere you have never been?',
      'Lazy Sundays are important. Enjoy it!',
      'A new recipe, a long walk or a museum visit could be fun.',
      'Board games are more fun when you lose gracefully. Mostly.',
    ],
  },
};

const OPENERS = [
  'Hey!',
  'Morning!',
  'Hi again.',
  'Evening!',
  'Hello hello.',
  'Hey, quick chat?',
  'Hi, back again.',
  'Good afternoon!',
];
const OPENER_REPLIES = [
  'Hi! How has your day been?',
  'Hello! What is on your mind today?',
  'Good to see you. How are things?',
  'Hey! How are you doing?',
  'Hi there, what is new?',
];
const CLOSERS = [
  'Ok, I should get some sleep. Night!',
  'Thanks, that helped. Talk later!',
  'Right, back to it. Bye!',
  'Gotta run, thanks for the chat.',
  'Ok, dinner time. Speak soon.',
];
const CLOSER_REPLIES = [
  'Good night! Talk soon.',
  'Anytime. Take care!',
  'Bye for now, have a good one.',
  'Enjoy your evening!',
];
const SHORT_USER = [
  'Haha, true.',
  'Yeah, exactly.',
  'Fair point.',
  'I will try that.',
  'Good idea, thanks.',
  'Ugh, I know.',
  'Maybe, we will see.',
  'Ha, probably.',
];

// ---------------------------------------------------------------------------------------------
// Facts. Each kind makes steps (blocks of turns placed in sessions, in order) and questions.
// Statement-level question lists carry their type; `{...}` are the fact's values.

const WRAPPERS = [
  'Remind me, {q}',
  'Quick question: {q}',
  '{q} I forgot.',
  'Sorry, my memory is terrible. {q}',
  'Hey, {q}',
  "{q} Can't recall right now.",
  'Random one: {q}',
];

function pronouns(gender) {
  return gender === 'f'
    ? { pron: 'she', obj: 'her', pos: 'her' }
    : { pron: 'he', obj: 'him', pos: 'his' };
}

/**
 * A plain fact: one user statement and the assistant's acknowledgement (which reuses some of the
 * vocabulary but never the answer). `statements[i].q` and `common` hold questions by type.
 */
function plain(r, v, statements, common, when) {
  const s = r.pick(statements);
  const questions = {};
  for (const src of [common ?? {}, s.q ?? {}]) {
    for (const [type, list] of Object.entries(src)) {
      questions[type] = [...(questions[type] ?? []), ...list];
    }
  }
  return {
    steps: [
      {
        when,
        turns: [
          { role: 'user', text: fill(s.u, v), evidence: true },
          { role: 'assistant', text: fill(s.a, v) },
        ],
      },
    ],
    questions,
    vars: v,
  };
}

/** An assistant question answered by a bare user reply: evidence is both turns. */
function neighbour(r, v, dialogues, questions, when) {
  const d = r.pick(dialogues);
  return {
    steps: [
      {
        when,
        turns: [
          { role: 'user', text: fill(d[0], v) },
          { role: 'assistant', text: fill(d[1], v), evidence: true },
          { role: 'user', text: fill(d[2], v), evidence: true },
          { role: 'assistant', text: fill(d[3], v) },
        ],
      },
    ],
    questions: { neighbour: questions },
    vars: v,
  };
}

/** Old value early (a distractor), new value later (the evidence). */
function update(r, v, before, after, questions) {
  const b = r.pick(before);
  const a = r.pick(after);
  return {
    steps: [
      {
        when: [0, 3],
        turns: [
          { role: 'user', text: fill(b[0], v) },
          { role: 'assistant', text: fill(b[1], v) },
        ],
      },
      {
        when: [5, 8],
        turns: [
          { role: 'user', text: fill(a[0], v), evidence: true },
          { role: 'assistant', text: fill(a[1], v) },
        ],
      },
    ],
    questions: { update: questions },
    vars: v,
  };
}

/** Two statements in different sessions, both needed. */
function multi(r, v, first, second, questions) {
  const f = r.pick(first);
  const s = r.pick(second);
  return {
    steps: [
      {
        when: [0, 3],
        turns: [
          { role: 'user', text: fill(f[0], v), evidence: true },
          { role: 'assistant', text: fill(f[1], v) },
        ],
      },
      {
        when: [4, 8],
        turns: [
          { role: 'user', text: fill(s[0], v), evidence: true },
          { role: 'assistant', text: fill(s[1], v) },
        ],
      },
    ],
    questions: { multi: questions },
    vars: v,
  };
}

const EARLY = [0, 4];

const KINDS = [
  {
    name: 'pet',
    group: 'pet',
    make(r, p) {
      const g = r.pick(['f', 'm']);
      const v = {
        species: r.pick(SPECIES),
        pet: p.unique(PET_NAMES),
        age: r.pick(NUMS),
        ...pronouns(g),
      };
      v.answer = v.pet;
      if (r.chance(0.3)) {
        return neighbour(
          r,
          v,
          [
            [
              'Took our {species} to the vet this morning, all healthy, thank goodness.',
              "That is a relief! What is your {species}'s name, by the way?",
              '{pet}. {Pron} is {age} now and still acts like a baby.',
              'Ha, give them a treat from me.',
            ],
          ],
          ["What's my {species}'s name?", 'What did I say my {species} is called?'],
          EARLY,
        );
      }
      return plain(
        r,
        v,
        [
          {
            u: 'Guess what, we adopted a {species} from the shelter on Saturday. {Pron} is called {pet}.',
            a: 'Oh, that is lovely news. Animals make a home feel different.',
            q: { inflection: ['Which animal did we adopt?'] },
          },
          {
            u: 'We finally got a {species}! {Pron} is called {pet} and {pron} has already claimed the sofa.',
            a: 'Ha, sounds like the sofa has a new owner. Congratulations!',
          },
          {
            u: 'Sorry I disappeared yesterday, our {species} {pet} escaped and we spent an hour looking for {obj}.',
            a: 'Oh no, what a fright! Glad the search ended well.',
          },
        ],
        {
          lexical: ['What is the name of my {species}?', "What's our {species}'s name?"],
          paraphrase: ["What's the name of our pet?", 'What name did we give our pet?'],
        },
        EARLY,
      );
    },
  },
  {
    name: 'sibling',
    make(r, p) {
      const sib = r.pick(['sister', 'brother']);
      const g = sib === 'sister' ? 'f' : 'm';
      const v = {
        sib,
        sibName: p.unique(g === 'f' ? WOMEN : MEN),
        city: r.pick(CITIES),
        ...pronouns(g),
      };
      v.answer = v.sibName;
      if (r.chance(0.5)) {
        return neighbour(
          r,
          v,
          [
            [
              'My {sib} is coming to stay with us for a week.',
              "How lovely! What is your {sib}'s name?",
              '{SibName}. {Pron} is two years older than me.',
              'I hope you have a great week together.',
            ],
            [
              'Need to buy a birthday present for my {sib}, any ideas?',
              "Happy to help! What is your {sib}'s name and what does {pron} like?",
              '{SibName}, and honestly I have no idea, that is the problem.',
              'Experiences are a safe bet: a class, a concert, a nice dinner.',
            ],
          ],
          ["What's my {sib}'s name?", 'What is my {sib} called?'],
          EARLY,
        );
      }
      return plain(
        r,
        v,
        [
          {
            u: 'My {sib} {sibName} is flying in from {city} on Friday, I need to tidy the guest room.',
            a: 'A proper family visit! Do you have plans for the weekend?',
          },
          {
            u: 'Had a long phone chat with my {sib} {sibName} last night, three hours!',
            a: 'Those calls are the best. How is everyone doing?',
          },
        ],
        {
          lexical: ["What's my {sib}'s name?", 'What is my {sib} called?'],
          paraphrase: ['What is my sibling called?', "What's the name of my only sibling?"],
        },
        EARLY,
      );
    },
  },
  {
    name: 'child',
    make(r, p) {
      const child = r.pick(['daughter', 'son']);
      const g = child === 'daughter' ? 'f' : 'm';
      const v = {
        child,
        cname: p.unique(g === 'f' ? WOMEN : MEN),
        age: r.int(4, 11),
        grade: r.int(1, 6),
        ...pronouns(g),
      };
      v.answer = v.cname;
      if (r.chance(0.4)) {
        return neighbour(
          r,
          v,
          [
            [
              "Parents' evening at school tonight, wish me luck.",
              "Good luck! What is your {child}'s name, if you don't mind me asking?",
              '{Cname}. {Pron} is in year {grade}.',
              'I am sure it will go well.',
            ],
          ],
          ["What's my {child}'s name?", 'What is my {child} called?'],
          EARLY,
        );
      }
      return plain(
        r,
        v,
        [
          {
            u: 'My {child} {cname} turns {age} next week and is demanding a dinosaur cake.',
            a: 'A dinosaur cake sounds amazing. Want some decorating ideas?',
          },
          {
            u: '{Cname}, my {child}, lost {pos} first tooth at school today!',
            a: 'A big milestone! Is the tooth fairy ready?',
          },
        ],
        {
          lexical: ["What is my {child}'s name?", 'What is the name of my {child}?'],
          paraphrase: ["What's my kid called?", 'What name did we give our little one?'],
        },
        EARLY,
      );
    },
  },
  {
    name: 'partner',
    make(r, p) {
      const partner = r.pick(['wife', 'husband', 'partner', 'girlfriend', 'boyfriend']);
      const g = ['wife', 'girlfriend'].includes(partner)
        ? 'f'
        : ['husband', 'boyfriend'].includes(partner)
          ? 'm'
          : r.pick(['f', 'm']);
      const v = { partner, pname: p.unique(g === 'f' ? WOMEN : MEN), ...pronouns(g) };
      v.answer = v.pname;
      return plain(
        r,
        v,
        [
          {
            u: 'My {partner} {pname} got promoted today, we are going out for dinner to celebrate.',
            a: 'Congratulations to them! Where are you going?',
          },
          {
            u: '{Pname}, my {partner}, insists on watching horror films every Friday and I hate it.',
            a: 'Ha, maybe take turns choosing?',
          },
        ],
        {
          lexical: ["What's my {partner}'s name?", 'What is my {partner} called?'],
          paraphrase: ['Who is my significant other?', "What's the name of my other half?"],
        },
        EARLY,
      );
    },
  },
  {
    name: 'job',
    group: 'job',
    make(r, p) {
      const v = { job: r.pick(JOBS), company: r.pick(COMPANIES) };
      v.answer = `${v.job} at ${v.company}`;
      if (r.chance(0.3)) {
        return neighbour(
          r,
          v,
          [
            [
              'Ugh, Monday again.',
              'Hang in there! Where are you working these days, remind me?',
              'At {company}, I am a {job} there.',
              'Right! I hope the week goes smoothly.',
            ],
          ],
          ['Where do I work?', 'Which company am I working for?'],
          EARLY,
        );
      }
      return plain(
        r,
        v,
        [
          {
            u: 'I started a new job last week, I am a {job} at {company} now.',
            a: 'Congratulations! How is the team so far?',
            q: {
              lexical: ["What's my new job?", 'Where did I start my new job?'],
              inflection: ['Which company am I starting at?'],
            },
          },
          {
            u: 'I have been working as a {job} at {company} for six years now, time flies.',
            a: 'Six years is a long time in one place. Do you still enjoy it?',
            q: {
              lexical: ['Where have I been working for six years?'],
              inflection: ['Where do I work?', 'What kind of work do I do?'],
            },
          },
        ],
        {
          paraphrase: [
            'What do I do for a living?',
            'Who is my employer?',
            "What's my occupation?",
          ],
        },
        EARLY,
      );
    },
  },
  {
    name: 'job_change',
    group: 'job',
    make(r, p) {
      const v = {
        job1: r.pick(JOBS),
        company1: r.pick(COMPANIES),
        job2: r.pick(JOBS),
        company2: r.pick(COMPANIES),
      };
      while (v.company2 === v.company1) v.company2 = r.pick(COMPANIES);
      v.answer = `${v.job2} at ${v.company2}`;
      return update(
        r,
        v,
        [
          [
            'I have been a {job1} at {company1} for four years now.',
            'Four years! You must know the place inside out.',
          ],
          [
            'Work at {company1} is busy, being a {job1} there never gets boring.',
            'Busy but interesting is a good combination.',
          ],
        ],
        [
          [
            'Today was my last day at {company1}! On Monday I start as a {job2} at {company2}.',
            'What a big step, congratulations!',
          ],
          [
            'I handed in my notice. Next month I will be a {job2} at {company2}.',
            'Exciting! A fresh start can be energising.',
          ],
        ],
        ['Where do I work now?', "What's my current job?", 'Which company am I at these days?'],
      );
    },
  },
  {
    name: 'home_move',
    make(r, p) {
      const v = { city1: p.unique(CITIES), city2: p.unique(CITIES) };
      v.answer = v.city2;
      return update(
        r,
        v,
        [
          [
            'I live in {city1}, in a tiny flat right by the river.',
            'That sounds charming. Do you like the neighbourhood?',
          ],
          [
            'Rent in {city1} keeps going up, but I love living here.',
            'It is hard to leave a place you love.',
          ],
        ],
        [
          [
            'Big news: we moved! We left {city1} and we are settling into {city2} now.',
            'Congratulations on the move! How are you finding it?',
          ],
          [
            "I don't live in {city1} anymore, we moved to {city2} at the start of the month.",
            'Wow, a new city! That is a big change.',
          ],
        ],
        [
          'Which city do I live in now?',
          'Where am I living these days?',
          'What city did I move to?',
        ],
      );
    },
  },
  {
    name: 'allergy',
    group: 'allergy',
    make(r, p) {
      const v = { al: r.pick(ALLERGENS) };
      v.answer = v.al;
      if (r.chance(0.3)) {
        return neighbour(
          r,
          v,
          [
            [
              'Can you help me plan a menu for a dinner party?',
              'Of course! Before we start, are you allergic to anything?',
              'Yes, {al}. Even a trace is bad.',
              'Noted, I will leave it out of everything.',
            ],
          ],
          ['What am I allergic to?', 'Which food allergy did I mention?'],
          EARLY,
        );
      }
      return plain(
        r,
        v,
        [
          {
            u: 'Just a heads up for recipes: I am allergic to {al}, even a little makes me break out in hives.',
            a: 'Thanks for telling me, I will keep that in mind for any recipe ideas.',
            q: { lexical: ['What am I allergic to?'], inflection: ['What allergies do I have?'] },
          },
          {
            u: 'Ended up in urgent care last night, turns out I have a serious {al} allergy.',
            a: 'That sounds scary, I am glad you are okay. Do you carry an EpiPen now?',
            q: { lexical: ['What allergy do I have?'], inflection: ['What am I allergic to?'] },
          },
        ],
        {
          paraphrase: [
            'Which foods should I avoid?',
            'Is there an ingredient I have to stay away from?',
          ],
        },
        EARLY,
      );
    },
  },
  {
    name: 'allergy_multi',
    group: 'allergy',
    make(r, p) {
      const [al1, al2] = r.sample(ALLERGENS, 2);
      const v = { al1, al2, answer: `${al1}, ${al2}` };
      return multi(
        r,
        v,
        [
          ['I am allergic to {al1}, so I always check labels.', 'Checking labels is a good habit.'],
          [
            'Had a reaction to {al1} at a restaurant, I should have asked the waiter.',
            'That sounds awful. Are you feeling better?',
          ],
        ],
        [
          [
            'The allergist ran more tests, and it turns out I am also allergic to {al2}.',
            'Good to know for sure. That must be a lot to take in.',
          ],
          [
            'New one for the list: I reacted badly to {al2} too, so that is out.',
            'Oh no, another thing to watch out for.',
          ],
        ],
        ["What are all the things I'm allergic to?", 'Which foods give me allergic reactions?'],
      );
    },
  },
  {
    name: 'trip',
    group: 'trip',
    make(r, p) {
      const v = { country: p.unique(COUNTRIES), month: r.pick(MONTHS) };
      v.answer = v.country;
      if (r.chance(0.3)) {
        return neighbour(
          r,
          v,
          [
            [
              'Finally sorted out the time off for the summer!',
              'Nice! Where are you travelling to?',
              '{Country}, for two weeks in {month}.',
              'Wonderful, that will be a great break.',
            ],
          ],
          ['Where am I travelling this year?', 'Which country am I travelling to?'],
          EARLY,
        );
      }
      return plain(
        r,
        v,
        [
          {
            u: 'We booked flights to {country} for {month}! Two whole weeks.',
            a: 'How exciting! Have you started planning an itinerary?',
            q: { lexical: ['Where did I book flights to?'], inflection: ['Where will I fly to?'] },
          },
          {
            u: 'I am counting down the days until our {country} trip in {month}.',
            a: 'The anticipation is half the fun. What are you most looking forward to?',
            q: { lexical: ['Where is my trip this year?'] },
          },
        ],
        { paraphrase: ['Where am I going on holiday?', "What's my next vacation destination?"] },
        EARLY,
      );
    },
  },
  {
    name: 'trip_change',
    group: 'trip',
    make(r, p) {
      const v = {
        country1: p.unique(COUNTRIES),
        country2: p.unique(COUNTRIES),
        month: r.pick(MONTHS),
      };
      v.answer = v.country2;
      return update(
        r,
        v,
        [
          [
            "We are going to {country1} in {month}, I can't wait.",
            'How exciting, that is a beautiful place.',
          ],
          [
            'Booked the {country1} holiday for {month}, finally.',
            'Great, that is one thing off the list.',
          ],
        ],
        [
          [
            'Change of plans: the {country1} trip is cancelled, we are doing {country2} instead.',
            'Plans change! That should be a great trip too.',
          ],
          [
            'We switched from {country1} to {country2}, the flights were half the price.',
            'Smart move, more money for the fun stuff.',
          ],
        ],
        [
          'Where am I going in {month}?',
          'Where is my holiday this year?',
          'Which country am I visiting?',
        ],
      );
    },
  },
  {
    name: 'diet',
    make(r, p) {
      const v = { diet: r.pick(DIETS) };
      v.answer = v.diet;
      return plain(
        r,
        v,
        [
          {
            u: 'I have been {diet} for about five years now, so no steak for me.',
            a: 'Five years is a real commitment! Any favourite dishes?',
            q: { paraphrase: ['Do I eat meat?'] },
          },
          {
            u: 'Went to a barbecue and there was nothing {diet}-friendly, I just ate bread.',
            a: 'Oh no! Next time maybe bring a dish to share.',
            q: { inflection: ['Do I eat meat?'] },
          },
        ],
        { paraphrase: ['What kind of diet do I follow?'] },
        EARLY,
      );
    },
  },
  {
    name: 'hobby',
    make(r, p) {
      const v = { hobby: r.pick(HOBBIES), day: r.pick(WEEKDAYS) };
      v.answer = v.hobby;
      return plain(
        r,
        v,
        [
          {
            u: 'I signed up for a {hobby} class on {day}s, the first session was so fun.',
            a: 'That is a great way to switch off after work.',
            q: {
              lexical: ['What class did I sign up for?'],
              inflection: ['What do I do on {day}?'],
              paraphrase: ["What's my new hobby?"],
            },
          },
          {
            u: 'Missed {hobby} on {day} because of the rain, I was gutted.',
            a: 'That is a shame. At least there is next week.',
            q: { lexical: ['What do I do on {day}?'], paraphrase: ["What's my weekly hobby?"] },
          },
        ],
        {},
        EARLY,
      );
    },
  },
  {
    name: 'instrument',
    make(r, p) {
      const v = { instrument: r.pick(INSTRUMENTS) };
      v.answer = v.instrument;
      return neighbour(
        r,
        v,
        [
          [
            'I am learning a new instrument, my fingers hurt.',
            'Oh fun, which instrument are you learning?',
            'The {instrument}. My neighbours must love me.',
            'Consistent practice is the way. Enjoy it!',
          ],
        ],
        ['What instrument am I learning?', 'Which instrument do I play?'],
        EARLY,
      );
    },
  },
  {
    name: 'cuisine',
    make(r, p) {
      const v = { cuisine: r.pick(CUISINES) };
      v.answer = v.cuisine;
      return plain(
        r,
        v,
        [
          {
            u: 'Honestly {cuisine} food is my favourite, I could eat it every day.',
            a: 'Good choice, there is so much variety.',
            q: { lexical: ["What's my favourite food?"] },
          },
          {
            u: 'Nothing beats {cuisine} food for me, we order it every Friday.',
            a: 'A Friday tradition, I like it.',
            q: { lexical: ['What food do I like most?'] },
          },
        ],
        {
          paraphrase: [
            'Which cuisine do I love most?',
            'What type of restaurant would I enjoy most?',
          ],
        },
        EARLY,
      );
    },
  },
  {
    name: 'music',
    make(r, p) {
      const v = { genre: r.pick(GENRES) };
      v.answer = v.genre;
      return plain(
        r,
        v,
        [
          {
            u: 'I have been obsessed with {genre} lately, it is all I listen to on the commute.',
            a: 'Nice, a good soundtrack makes the commute fly by.',
            q: {
              lexical: ['What do I listen to on my commute?'],
              inflection: ['What music have I been listening to?'],
            },
          },
        ],
        { paraphrase: ['What kind of songs am I into?'] },
        EARLY,
      );
    },
  },
  {
    name: 'birthday',
    make(r, p) {
      const v = { month: r.pick(MONTHS), day: r.int(1, 28), age: r.int(26, 55) };
      v.answer = `${v.month} ${v.day}`;
      return plain(
        r,
        v,
        [
          {
            u: 'My birthday is on {month} {day}, and I am already dreading turning {age}.',
            a: '{age} is a great age, you will see!',
          },
          {
            u: 'Fun fact: I share a birthday with my grandad, {month} {day}.',
            a: 'That is lovely, a built-in party buddy.',
          },
        ],
        { lexical: ['When is my birthday?'], paraphrase: ['When was I born?'] },
        EARLY,
      );
    },
  },
  {
    name: 'injury',
    make(r, p) {
      const [part, activity] = r.pick(INJURIES);
      const v = { part, activity, answer: `${part}, ${activity}` };
      return plain(
        r,
        v,
        [
          {
            u: 'Bad news, I broke my {part} {activity} on Saturday, so everything is slow this week.',
            a: 'Ouch! I am sorry. Make sure you rest it properly.',
          },
        ],
        {
          lexical: ['What happened to my {part}?'],
          inflection: ['What did I break?'],
          paraphrase: ['How did I get injured?'],
        },
        EARLY,
      );
    },
  },
  {
    name: 'car',
    make(r, p) {
      const [car1, car2] = r.sample(CARS, 2);
      const v = { car1, car2, answer: car2 };
      return update(
        r,
        v,
        [
          [
            'My old {car1} broke down again, third time this year.',
            'That is frustrating. Is it worth repairing?',
          ],
          [
            'I drive a {car1}, it is ancient but it never lets me down.',
            'Reliable cars are worth their weight in gold.',
          ],
        ],
        [
          [
            'I finally sold the {car1} and bought a {car2}, it drives like a dream.',
            'Congratulations on the upgrade!',
          ],
          ['Picked up my {car2} today! Goodbye, {car1}.', 'Enjoy the new wheels!'],
        ],
        ['What car do I drive now?', "What's my current car?"],
      );
    },
  },
  {
    name: 'pets_multi',
    group: 'pet',
    make(r, p) {
      const [sp1, sp2] = r.sample(SPECIES, 2);
      const v = { sp1, sp2, pet1: p.unique(PET_NAMES), pet2: p.unique(PET_NAMES) };
      v.answer = `${v.pet1} (${sp1}), ${v.pet2} (${sp2})`;
      return multi(
        r,
        v,
        [
          [
            'Our {sp1} {pet1} has taken over the whole sofa.',
            'Sounds like a very comfortable life.',
          ],
          [
            '{Pet1}, our {sp1}, woke me up at five again.',
            'Ha, the alarm clock you cannot switch off.',
          ],
        ],
        [
          [
            'We adopted a second animal, a {sp2} called {pet2}!',
            'A growing household! How are they getting along?',
          ],
          ['Meet the newest member of the household: {pet2}, a little {sp2}.', 'Welcome, {pet2}!'],
        ],
        ['What pets do I have?', 'What are the names of my animals?'],
      );
    },
  },
  {
    name: 'travel_multi',
    make(r, p) {
      const v = { country1: p.unique(COUNTRIES), country2: p.unique(COUNTRIES) };
      v.answer = `${v.country1}, ${v.country2}`;
      return multi(
        r,
        v,
        [
          [
            'Just got back from {country1}, the food was incredible.',
            'Welcome back! What was the highlight?',
          ],
          [
            'Still jet-lagged after {country1}, but it was worth it.',
            'Jet lag is the price of a good trip.',
          ],
        ],
        [
          ['Home from {country2}, exhausted but happy.', 'Sounds like a great time. Rest up!'],
          [
            '{Country2} was amazing, I already want to go back.',
            'That is the sign of a great trip.',
          ],
        ],
        ['Which countries have I visited recently?', 'Where have I travelled this year?'],
      );
    },
  },
  {
    name: 'doctor',
    make(r, p) {
      const v = { surname: p.unique(SURNAMES) };
      v.answer = `Dr. ${v.surname}`;
      return neighbour(
        r,
        v,
        [
          [
            'I need to email my doctor about my test results.',
            "I can help draft it. What is your doctor's name?",
            'Dr. {surname}.',
            'Great, here is a short draft you can adapt.',
          ],
        ],
        ["What's my doctor's name?", 'Who is my doctor?'],
        EARLY,
      );
    },
  },
  {
    name: 'marathon',
    make(r, p) {
      const v = { city: r.pick(CITIES), month: r.pick(MONTHS) };
      v.answer = `${v.city} half marathon`;
      return plain(
        r,
        v,
        [
          {
            u: 'I signed up for the {city} half marathon in {month}! I have started to train every morning.',
            a: 'Amazing! Do you have a training plan?',
          },
        ],
        {
          lexical: ['Which marathon did I sign up for?'],
          inflection: ['What am I training for?'],
          paraphrase: ['Which race did I enter?'],
        },
        EARLY,
      );
    },
  },
  {
    name: 'coffee',
    make(r, p) {
      const v = { tea: r.pick(TEAS) };
      v.answer = v.tea;
      return update(
        r,
        v,
        [
          [
            'I drink way too much coffee, like five cups a day.',
            'That is a lot of caffeine! How do you sleep?',
          ],
          [
            'Coffee number four today. I have a problem.',
            'Maybe switch the afternoon one to decaf?',
          ],
        ],
        [
          [
            'Day ten without coffee! I switched to {tea} and I feel great.',
            'Well done, that is hard to do.',
          ],
          [
            'I quit caffeine for good, only {tea} for me now.',
            'Good for you, your sleep will thank you.',
          ],
        ],
        [
          'What do I drink now instead of coffee?',
          'Am I still a coffee drinker?',
          "What's my morning drink these days?",
        ],
      );
    },
  },
];

// ---------------------------------------------------------------------------------------------

const TYPES = ['lexical', 'inflection', 'paraphrase', 'neighbour', 'update', 'multi'];

function personaPools(r) {
  const used = new Set();
  return {
    used,
    said: new Set(),
    unique(pool) {
      const free = pool.filter((x) => !used.has(x));
      const value = r.pick(free.length ? free : pool);
      used.add(value);
      return value;
    },
  };
}

function fillerVars(r, p) {
  const freeWomen = WOMEN.filter((x) => !p.used.has(x));
  return {
    weather: r.pick(WEATHER),
    place: r.pick(PLACES),
    friend: r.pick(freeWomen.length ? freeWomen : WOMEN),
    num: r.pick(NUMS),
    food: r.pick(FOODS),
    show: r.pick(SHOWS),
    book: r.pick(BOOKS),
    thing: r.pick(THINGS),
    sport: r.pick(SPORTS),
    animal: r.pick(ANIMALS),
    country: r.pick(COUNTRIES.filter((x) => !p.used.has(x))),
    city: r.pick(CITIES.filter((x) => !p.used.has(x))),
  };
}

/**
 * A list of [user, assistant] filler exchanges on the session's topics. A line the persona
 * already said is re-drawn a few times (a real history repeats itself a little, not a lot).
 */
function fillerExchanges(r, p, topics, count) {
  const out = [];
  const fresh = (role, draw) => {
    let text = draw();
    for (let i = 0; i < 8 && p.said.has(`${role}:${text}`); i++) text = draw();
    p.said.add(`${role}:${text}`);
    return text;
  };
  for (let i = 0; i < count; i++) {
    const topic = TOPICS[r.pick(topics)];
    const v = fillerVars(r, p);
    const user = fresh('user', () =>
      r.chance(0.1) ? r.pick(SHORT_USER) : fill(r.pick(topic.user), v),
    );
    const assistant = fresh('assistant', () =>
      fill(
        r.pick(r.chance(0.85) ? topic.assistant : TOPICS[r.pick(Object.keys(TOPICS))].assistant),
        v,
      ),
    );
    out.push([
      { role: 'user', text: user },
      { role: 'assistant', text: assistant },
    ]);
  }
  return out;
}

function pad(n, width = 2) {
  return String(n).padStart(width, '0');
}

/**
 * Builds the data set.
 * @returns {{seed:number, personas:Array, questions:Array}}
 *   personas[i] = { id, namespace, sessions: [{ index, startedAt, turns: [{ id, role, content, createdAt }] }] }
 *   questions[j] = { id, personaId, namespace, type, kind, text, core, evidence: [turnId], answer, askedAt }
 */
function buildDataset(options = {}) {
  const seed = options.seed ?? DEFAULT_SEED;
  const personaCount = options.personas ?? DEFAULT_PERSONAS;
  const factsPerPersona = options.factsPerPersona ?? 10;
  const r = new Rng(seed);
  const personas = [];
  const questions = [];

  for (let pi = 0; pi < personaCount; pi++) {
    const pr = new Rng(seed * 7919 + pi * 104729 + 1);
    const pools = personaPools(pr);
    const id = `p${pad(pi)}`;
    const namespace = `persona-${pad(pi)}`;

    // Choose fact kinds, at most one per group.
    const groups = new Set();
    const kinds = [];
    for (const kind of pr.shuffle(KINDS)) {
      if (kinds.length >= factsPerPersona) break;
      if (kind.group && groups.has(kind.group)) continue;
      if (kind.group) groups.add(kind.group);
      kinds.push(kind);
    }
    const facts = kinds.map((kind) => ({ kind: kind.name, ...kind.make(pr, pools) }));

    // Place each fact's steps into sessions, in order.
    const blocksBySession = Array.from({ length: SESSIONS }, () => []);
    for (const fact of facts) {
      let minSession = 0;
      fact.placed = [];
      for (const step of fact.steps) {
        const lo = Math.max(step.when[0], minSession);
        const hi = Math.max(step.when[1], lo);
        const session = pr.int(lo, Math.min(hi, SESSIONS - 2));
        blocksBySession[session].push({ fact, step });
        minSession = session + 1;
      }
    }

    // Sessions: 1-9 days apart, starting within the first three weeks of January 2025.
    let t = START + pr.int(0, 20) * DAY;
    const sessions = [];
    const turnIdsByStep = new Map();
    for (let si = 0; si < SESSIONS; si++) {
      t += pr.int(1, 9) * DAY;
      const startedAt = t - (t % DAY) + pr.int(7, 21) * 3_600_000 + pr.int(0, 59) * 60_000;
      const blocks = pr.shuffle(blocksBySession[si]);
      const blockTurns = blocks.reduce((n, b) => n + b.step.turns.length, 0);
      const target = pr.int(10, 20);
      const exchanges = Math.max(2, Math.ceil((target - blockTurns - 4) / 2));
      const topics = pr.sample(Object.keys(TOPICS), pr.int(2, 3));
      const filler = fillerExchanges(pr, pools, topics, exchanges);

      // Slots between filler exchanges (after the greeting) receive the fact blocks.
      const slots = filler.map(() => []);
      for (const b of blocks) slots[pr.int(0, slots.length - 1)].push(b);

      const sequence = [];
      sequence.push(
        { role: 'user', text: pr.pick(OPENERS) },
        { role: 'assistant', text: pr.pick(OPENER_REPLIES) },
      );
      filler.forEach((exchange, i) => {
        for (const b of slots[i]) {
          const ids = [];
          for (const turn of b.step.turns) {
            sequence.push({ ...turn, fact: b.fact.kind, idsOut: ids });
          }
          turnIdsByStep.set(b.step, ids);
        }
        sequence.push(...exchange);
      });
      sequence.push(
        { role: 'user', text: pr.pick(CLOSERS) },
        { role: 'assistant', text: pr.pick(CLOSER_REPLIES) },
      );

      let at = startedAt;
      const turns = sequence.map((turn, ti) => {
        at += pr.int(20, 150) * 1000;
        const turnId = `${id}-s${pad(si)}-t${pad(ti)}`;
        if (turn.idsOut) turn.idsOut.push({ id: turnId, evidence: Boolean(turn.evidence) });
        const out = {
          id: turnId,
          role: turn.role,
          content: turn.text,
          createdAt: new Date(at).toISOString(),
        };
        // Turns of a fact block (statement, acknowledgement, the assistant's question...).
        if (turn.fact) out.fact = turn.fact;
        return out;
      });
      sessions.push({ index: si, startedAt: new Date(startedAt).toISOString(), turns });
      t = at;
    }
    const askedAt = new Date(t + pr.int(1, 4) * DAY).toISOString();

    // Questions: one per fact, a second (another template, preferably another type) for ~30%.
    let qn = 0;
    for (const fact of facts) {
      const evidence = fact.steps.flatMap((step) =>
        turnIdsByStep
          .get(step)
          .filter((x) => x.evidence)
          .map((x) => x.id),
      );
      const options = Object.entries(fact.questions).flatMap(([type, list]) =>
        list.map((template) => ({ type, template })),
      );
      const chosen = [pr.pick(options)];
      if (pr.chance(0.3) && options.length > 1) {
        const others = options.filter((o) => o !== chosen[0]);
        const otherType = others.filter((o) => o.type !== chosen[0].type);
        chosen.push(pr.pick(otherType.length ? otherType : others));
      }
      for (const { type, template } of chosen) {
        const core = fill(template, fact.vars);
        const wrapped = pr.chance(0.35);
        const wrapper = wrapped ? pr.pick(WRAPPERS) : '{q}';
        // After "Remind me, " and "Hey, " the question goes on in lower case.
        const q = /, \{q\}/.test(wrapper) ? core[0].toLowerCase() + core.slice(1) : core;
        const text = fill(wrapper, { q });
        questions.push({
          id: `${id}-q${pad(qn++)}`,
          personaId: id,
          namespace,
          type,
          kind: fact.kind,
          text,
          core,
          wrapped,
          evidence,
          answer: String(fact.vars.answer),
          askedAt,
        });
      }
    }
    personas.push({ id, namespace, sessions });
  }
  void r;
  return { seed, personas, questions };
}

/** All turns of a persona, in order. */
function turnsOf(persona) {
  return persona.sessions.flatMap((s) => s.turns);
}

/**
 * `count` distinct turns for the latency benchmark: the sentences of a few data sets (chit-chat
 * and facts), one to three per turn as people write them, roles alternating, one every few
 * minutes over about a year ending at `endAt`. Deterministic for a seed.
 */
function corpus(count, seed = DEFAULT_SEED, endAt = Date.UTC(2026, 0, 1)) {
  const sentences = { user: new Set(), assistant: new Set() };
  for (let i = 0; i < 3; i++) {
    for (const persona of buildDataset({ seed: seed + i * 31 }).personas) {
      for (const turn of turnsOf(persona)) sentences[turn.role].add(turn.content);
    }
  }
  const pools = { user: [...sentences.user], assistant: [...sentences.assistant] };
  const r = new Rng(seed ^ 0x5eed);
  const seen = new Set();
  const out = [];
  const step = Math.floor((365 * DAY) / count);
  let at = endAt - count * step;
  while (out.length < count) {
    const role = out.length % 2 === 0 ? 'user' : 'assistant';
    const parts = [];
    const n = r.chance(0.5) ? 1 : r.int(2, 3);
    for (let i = 0; i < n; i++) parts.push(r.pick(pools[role]));
    const content = parts.join(' ');
    const key = `${role}\u0000${content}`;
    if (seen.has(key)) continue;
    seen.add(key);
    at += step;
    out.push({ id: `c${out.length}`, role, content, createdAt: new Date(at).toISOString() });
  }
  return out;
}

/**
 * Extra chit-chat history for each namespace, to measure retrieval in namespaces of realistic
 * size (a long-time user has thousands of memories, not 160). Sessions of 10-20 turns built
 * from the filler of other data sets (fact blocks left out, so nothing competes with or
 * contradicts a persona's facts), one to three filler sentences per turn so that turns stay
 * distinct, placed on days between 120 days before the persona's first session and the day
 * before its questions, never within two hours of one of its own sessions (its neighbours in
 * time stay the same). `options.maxSentences: 1` keeps turns to one sentence: there are only
 * ~900 distinct filler sentences, so a namespace then gets at most that many extra turns.
 * @returns Map<namespace, turns[]> (turn ids `x-...`; none is evidence)
 */
function extraHistory(ds, perNamespace, seed = ds.seed + 1, options = {}) {
  const maxSentences = options.maxSentences ?? 3;
  const out = new Map();
  if (perNamespace <= 0) return out;
  const r = new Rng(seed ^ 0xe7a);
  const pools = { user: new Set(), assistant: new Set() };
  for (let i = 0; i < 3; i++) {
    for (const p of buildDataset({ seed: seed + 1000 + i }).personas) {
      for (const t of turnsOf(p)) if (!t.fact) pools[t.role].add(t.content);
    }
  }
  const pool = { user: [...pools.user], assistant: [...pools.assistant] };
  for (const persona of ds.personas) {
    const own = persona.sessions.map((s) => [
      Date.parse(s.turns[0].createdAt) - 2 * 3_600_000,
      Date.parse(s.turns.at(-1).createdAt) + 2 * 3_600_000,
    ]);
    const first = Date.parse(persona.sessions[0].turns[0].createdAt) - 120 * DAY;
    const asked = ds.questions.find((q) => q.personaId === persona.id)?.askedAt;
    const last = Date.parse(asked ?? persona.sessions.at(-1).turns.at(-1).createdAt) - DAY;
    const seen = new Set(turnsOf(persona).map((t) => `${t.role}\u0000${t.content}`));
    const turns = [];
    let n = 0;
    while (turns.length < perNamespace) {
      const length = r.int(10, 20);
      const day = first + r.int(0, Math.floor((last - first) / DAY)) * DAY;
      let at = day - (day % DAY) + r.int(6, 21) * 3_600_000 + r.int(0, 59) * 60_000;
      const end = at + length * 150_000;
      if (own.some(([a, b]) => at < b && end > a)) continue;
      for (let i = 0; i < length && turns.length < perNamespace; i++) {
        const role = i % 2 === 0 ? 'user' : 'assistant';
        let content;
        for (let tries = 0; tries < 50; tries++) {
          const parts = [];
          const k = maxSentences === 1 || r.chance(0.5) ? 1 : r.int(2, maxSentences);
          for (let j = 0; j < k; j++) parts.push(r.pick(pool[role]));
          content = parts.join(' ');
          if (!seen.has(`${role}\u0000${content}`)) break;
        }
        at += r.int(20, 150) * 1000;
        // A repeat (only when sentences run out) is still sent: the store keeps one copy.
        seen.add(`${role}\u0000${content}`);
        turns.push({
          id: `x-${persona.id}-${n++}`,
          role,
          content,
          createdAt: new Date(at).toISOString(),
        });
      }
    }
    out.set(persona.namespace, turns);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Label checks: surface word overlap between a question (without its wrapper) and its evidence.

const STOP = new Set(
  `i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself it its itself they them their theirs themselves what which who whom this that these those am is are was were be been being have has had having do does did doing a an the and but if or because as until while of at by for with about against between into through during before after above below to from up down in out on off over under again further then once here there when where why how all any both each few more most other some such no nor not only own same so than too very s t can will just don should now d ll m re ve`.split(
    /\s+/,
  ),
);

function words(text) {
  return (text.toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((w) => !STOP.has(w));
}

/** Crude shared-family test: same first 4 letters (or the whole shorter word), or a known irregular pair. */
const IRREGULAR = [
  ['broke', 'break'],
  ['ate', 'eat'],
  ['fly', 'flights'],
];
function related(a, b) {
  if (a === b) return true;
  if (IRREGULAR.some(([x, y]) => (a === x && b === y) || (a === y && b === x))) return true;
  const n = Math.min(a.length, b.length, 4);
  return n >= 3 && a.slice(0, n) === b.slice(0, n) && Math.min(a.length, b.length) >= 3;
}

function checkLabels(ds) {
  const turnText = new Map();
  for (const p of ds.personas) for (const t of turnsOf(p)) turnText.set(t.id, t.content);
  const problems = [];
  for (const q of ds.questions) {
    const qw = new Set(words(q.core));
    const ev = q.evidence.map((id) => turnText.get(id));
    if (ev.some((x) => x === undefined) || ev.length === 0) {
      problems.push(`${q.id}: missing evidence`);
      continue;
    }
    const ew = new Set(words(ev.join(' ')));
    const exact = [...qw].filter((w) => ew.has(w));
    const fam = [...qw].filter((w) => !ew.has(w) && [...ew].some((e) => related(w, e)));
    if (q.type === 'lexical' && exact.length === 0)
      problems.push(`${q.id} lexical without a shared word: "${q.core}" / "${ev.join(' | ')}"`);
    if (q.type === 'inflection' && (exact.length > 0 || fam.length === 0))
      problems.push(
        `${q.id} inflection: exact=${exact} family=${fam}: "${q.core}" / "${ev.join(' | ')}"`,
      );
    if (q.type === 'paraphrase' && (exact.length > 0 || fam.length > 0))
      problems.push(
        `${q.id} paraphrase shares ${[...exact, ...fam]}: "${q.core}" / "${ev.join(' | ')}"`,
      );
    if (q.type === 'neighbour') {
      // The bare reply (the last evidence turn) must share no word with the question.
      const reply = new Set(words(ev.at(-1)));
      const shared = [...qw].filter((w) => reply.has(w));
      if (shared.length)
        problems.push(`${q.id} neighbour reply shares ${shared}: "${q.core}" / "${ev.at(-1)}"`);
    }
  }
  return problems;
}

function stats(ds) {
  const turns = ds.personas.flatMap(turnsOf);
  const perSession = ds.personas.flatMap((p) => p.sessions.map((s) => s.turns.length));
  const unique = ds.personas.reduce(
    (n, p) => n + new Set(turnsOf(p).map((t) => `${t.role}\u0000${t.content}`)).size,
    0,
  );
  const evidenceIds = new Set(ds.questions.flatMap((q) => q.evidence));
  const byType = {};
  for (const q of ds.questions) byType[q.type] = (byType[q.type] ?? 0) + 1;
  const wordsPerTurn = turns.reduce((n, t) => n + t.content.split(/\s+/).length, 0) / turns.length;
  return {
    seed: ds.seed,
    personas: ds.personas.length,
    sessions: ds.personas.reduce((n, p) => n + p.sessions.length, 0),
    turns: turns.length,
    uniqueTurnsPerNamespace: unique,
    evidenceTurns: evidenceIds.size,
    distractorTurns: turns.length - evidenceIds.size,
    turnsPerSession: {
      min: Math.min(...perSession),
      max: Math.max(...perSession),
      mean: +(turns.length / perSession.length).toFixed(1),
    },
    wordsPerTurn: +wordsPerTurn.toFixed(1),
    questions: ds.questions.length,
    questionsByType: Object.fromEntries(TYPES.map((t) => [t, byType[t] ?? 0])),
    wrappedQuestions: ds.questions.filter((q) => q.wrapped).length,
    evidencePerQuestion: +(
      ds.questions.reduce((n, q) => n + q.evidence.length, 0) / ds.questions.length
    ).toFixed(2),
    firstTurnAt: turns.reduce((m, t) => (t.createdAt < m ? t.createdAt : m), turns[0].createdAt),
    lastTurnAt: turns.reduce((m, t) => (t.createdAt > m ? t.createdAt : m), turns[0].createdAt),
  };
}

module.exports = {
  buildDataset,
  turnsOf,
  corpus,
  extraHistory,
  stats,
  checkLabels,
  TYPES,
  DEFAULT_SEED,
};

if (require.main === module) {
  const args = process.argv.slice(2);
  const opt = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const ds = buildDataset({
    seed: opt('--seed') ? Number(opt('--seed')) : undefined,
    personas: opt('--personas') ? Number(opt('--personas')) : undefined,
  });
  if (args.includes('--dump')) {
    const i = Number(opt('--dump') ?? 0) || 0;
    const p = ds.personas[i];
    for (const s of p.sessions) {
      console.log(`\n== ${p.namespace} session ${s.index} (${s.startedAt})`);
      for (const t of s.turns) console.log(`${t.id} ${t.role.padEnd(9)} ${t.content}`);
    }
    console.log('\n== questions');
    for (const q of ds.questions.filter((x) => x.personaId === p.id)) {
      console.log(
        `${q.id} [${q.type}/${q.kind}] ${q.text}  -> ${q.answer}  evidence ${q.evidence.join(', ')}`,
      );
    }
  } else if (args.includes('--check')) {
    const problems = checkLabels(ds);
    for (const p of problems) console.log(p);
    console.log(
      problems.length
        ? `${problems.length} label problem(s)`
        : `labels ok (${ds.questions.length} questions)`,
    );
    process.exitCode = problems.length ? 1 : 0;
  } else {
    console.log(JSON.stringify(stats(ds), null, 2));
  }
}
