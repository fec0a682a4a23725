// index.html's inline boot script (scripts/inline-boot.mjs builds it into the page): a signed-in
// page's first requests and chunks start while the HTML is parsed (lib/early.ts).
import { startEarly } from './lib/early';

declare const __GD_EARLY_CHUNKS__: Parameters<typeof startEarly>[0];

startEarly(__GD_EARLY_CHUNKS__);
