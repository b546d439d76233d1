/**
 * A module loaded on first use: `load` (a dynamic `import()`) runs on the first call, and every call
 * gets the same promise. Importing the root entry then evaluates only what creating a bridge needs;
 * a route or an operation loads its own code the first time it runs (issue 18: cold start). A load
 * that fails is not kept: the next call tries again.
 */
export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    if (!loading) {
      loading = load();
      loading.catch(() => {
        loading = undefined;
      });
    }
    return loading;
  };
}
