import { memoryStore } from './memory-store';
import { runStoreConformance } from './testing/store-conformance';

runStoreConformance({ name: 'memory', create: async () => memoryStore() });
