import { MemoryCounterStore } from '../support/memory-counter-store.ts';
import { describeCounterStoreContract } from './counter-store.contract.ts';

// The unit tests' stand-in must behave like the real store, or they prove nothing about it.
describeCounterStoreContract('In-memory CounterStore (test support)', (clock) => new MemoryCounterStore(clock));
