import { isMigratable } from '../lib/checks';
import type { Command } from '../lib/command';

export const migrateCommand: Command = {
  name: 'migrate',
  summary:
    'Applies the store’s pending schema migrations (@paybridge/store-sql), or lists them with --dry-run.',
  usage: 'migrate [--dry-run]',
  details: [
    'Safe while instances run: migrations apply in one transaction under a lock. Stores without a schema have',
    'nothing to do. A store left with autoMigrate (the default) migrates itself at its first query, which',
    'loading the bridge makes: create it with autoMigrate: false for migrations run as a separate step.',
  ].join('\n'),
  options: {
    'dry-run': { type: 'boolean', description: 'list the migrations that would be applied, change nothing' },
  },
  positionals: { min: 0, max: 0 },
  run: (ctx) =>
    ctx.withBridge(async (bridge, out) => {
      const store = bridge.store;
      if (!isMigratable(store)) {
        out(`The store "${store.name}" has no schema migrations: nothing to do.`);
        return 0;
      }
      const status = await store.migrationStatus();
      const list = (items: Array<{ version: number; name: string }>) =>
        items.map((m) => `  ${m.version}  ${m.name}`).join('\n');
      if (status.pending.length === 0) {
        out(`Schema is current (version ${status.version}): nothing to apply.`);
        return 0;
      }
      if (ctx.values['dry-run']) {
        out(
          `Dry run: ${status.pending.length} migration(s) would be applied to schema version ${status.version}:\n${list(status.pending)}`,
        );
        return 0;
      }
      const report = await store.migrate();
      const names = new Map(status.pending.map((m) => [m.version, m.name]));
      const applied = report.applied.map((version) => ({ version, name: names.get(version) ?? '' }));
      out(
        applied.length
          ? `Applied ${applied.length} migration(s); schema version ${report.version}:\n${list(applied)}`
          : `Nothing to apply (another instance migrated first); schema version ${report.version}.`,
      );
      return 0;
    }),
};
