import { memoryStore } from '../src/memory-store';
import { runStoreConformance } from '../src/testing/store-conformance';

runStoreConformance({ name: 'memory', create: async () => memoryStore() });
