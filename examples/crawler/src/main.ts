// A crawler written with gencoro coroutines: pages are fetched in parallel
// batches with multi, each fetch under withTimeout; slow pages time out,
// broken pages fail, links are followed breadth-first; then the pages are
// fetched once more and reported as they arrive with a WaitIterator.
// The "network" is simulated on a virtual-clock loop, so the output is the same
// everywhere: on Node, and as one pre-lowered ES5 file on duk and mujs.
import { coroutine, Future, IOLoop, multi, sleep, TimeoutError, WaitIterator, withTimeout } from 'gencoro';

declare const console: { log(line: string): void };
type Co<R = void> = Generator<unknown, R, any>;

interface Page { links: string[]; delay: number; broken?: boolean }

const site: { [url: string]: Page } = {
  '/': { links: ['/a', '/b', '/c'], delay: 5 },
  '/a': { links: ['/a/1', '/b'], delay: 10 },
  '/b': { links: ['/slow', '/'], delay: 20 },
  '/c': { links: ['/broken'], delay: 1 },
  '/a/1': { links: [], delay: 3 },
  '/slow': { links: ['/never'], delay: 500 },
  '/broken': { links: [], delay: 2, broken: true },
};

class Failure {
  constructor(readonly url: string, readonly why: string) {}
}

/** The simulated network: a Future of the page after its delay. */
function fetchPage(url: string): Future<Page> {
  const f = new Future<Page>();
  const page = site[url];
  IOLoop.current().callLater(page ? page.delay : 1, () => {
    if (!page) f.setException(new Failure(url, 'not found'));
    else if (page.broken) f.setException(new Failure(url, 'server error'));
    else f.setResult(page);
  });
  return f;
}

const at = () => 't=' + IOLoop.current().time();

const fetchOne = coroutine(function* (url: string): Co<string[]> {
  try {
    const page: Page = yield withTimeout(100, fetchPage(url));
    console.log(at() + ' fetched ' + url + ' (' + page.links.length + ' links)');
    return page.links;
  } catch (e) {
    if (e instanceof TimeoutError) console.log(at() + ' timeout ' + url);
    else if (e instanceof Failure) console.log(at() + ' failed ' + e.url + ': ' + e.why);
    else throw e;
    return [];
  }
});

const crawl = coroutine(function* (start: string, maxDepth: number): Co<string[]> {
  const seen: string[] = [start];
  let frontier = [start];
  for (let depth = 0; depth <= maxDepth && frontier.length > 0; depth++) {
    const linkLists: string[][] = yield multi(frontier.map((url) => fetchOne(url)));
    const next: string[] = [];
    for (const links of linkLists) {
      for (const link of links) {
        if (seen.indexOf(link) >= 0) continue;
        seen.push(link);
        next.push(link);
      }
    }
    console.log('depth ' + depth + ' done, next: ' + (next.join(' ') || 'nothing'));
    frontier = next;
  }
  return seen;
});

/** Fetches every page again and reports each one as soon as it arrives. */
const asTheyArrive = coroutine(function* (urls: string[]): Co<number> {
  const pages = new WaitIterator(...urls.map((url) => withTimeout(50, fetchPage(url))));
  let ok = 0;
  while (!pages.done()) {
    try {
      const page: Page = yield pages.next();
      ok++;
      console.log(at() + ' arrived ' + urls[pages.currentIndex as number] + ' with ' + page.links.length + ' links');
    } catch (e) {
      console.log(at() + ' gave up on ' + urls[pages.currentIndex as number] + ': ' +
        (e instanceof TimeoutError ? 'timeout' : e instanceof Failure ? e.why : 'unexpected'));
    }
  }
  return ok;
});

const main = coroutine(function* (): Co {
  const seen: string[] = yield crawl('/', 2);
  console.log('seen: ' + seen.join(' '));
  yield sleep(1000); // let the slow fetch that timed out finish, so the loop ends idle
  const ok: number = yield asTheyArrive(seen.filter((url) => url !== '/never'));
  console.log(ok + ' pages arrived in time');
  yield sleep(1000);
});

const loop = new IOLoop({ clock: 'virtual' });
loop.runSync(main);
console.log('done at ' + 'virtual t=' + loop.time());
