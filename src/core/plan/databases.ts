/**
 * Example backup, verification and restore commands for the databases the release notes name:
 * mongodump/mongorestore, mysqldump, pg_dump/pg_restore, BGSAVE and `redis-cli --rdb`. They are
 * comments in placeholder steps: the team fills in hosts, workloads and credentials.
 */
import { ENGINES, type DatabaseId } from './stack';

export interface DatabaseCommands {
  backup: string[];
  verify: string[];
  restore: string[];
}

/** `cli` is the cluster command with its namespace: `kubectl -n "$NAMESPACE"`, `oc -n "$NAMESPACE"`. */
export function databaseCommands(db: DatabaseId, cli: string): DatabaseCommands {
  const file = (ext: string) => `"$BACKUP_DIR/$APP-$FROM_VERSION.${ext}"`;
  const pod = `deploy/"$APP"-${db}`;
  switch (db) {
    case 'mongodb':
      return {
        backup: [`${cli} exec ${pod} -- mongodump --archive --gzip > ${file('mongodb.archive.gz')}`],
        verify: [`mongorestore --uri="mongodb://localhost:27018" --archive=${file('mongodb.archive.gz')} --gzip --drop`],
        restore: [`${cli} exec -i ${pod} -- mongorestore --archive --gzip --drop < ${file('mongodb.archive.gz')}`],
      };
    case 'postgresql':
      return {
        backup: [`${cli} exec ${pod} -- pg_dump --format=custom --dbname="$APP" > ${file('pgdump')}`],
        verify: [`pg_restore --dbname=scratch --clean --if-exists ${file('pgdump')}`],
        restore: [`${cli} exec -i ${pod} -- pg_restore --clean --if-exists --dbname="$APP" < ${file('pgdump')}`],
      };
    case 'mysql':
    case 'mariadb':
      return {
        backup: [`${cli} exec ${pod} -- sh -c 'mysqldump --single-transaction --routines --triggers --all-databases -uroot -p"$MYSQL_ROOT_PASSWORD"' > ${file('sql')}`],
        verify: [`mysql --host=127.0.0.1 --port=3307 -uroot -p < ${file('sql')}`],
        restore: [`${cli} exec -i ${pod} -- sh -c 'mysql -uroot -p"$MYSQL_ROOT_PASSWORD"' < ${file('sql')}`],
      };
    case 'redis':
      return {
        backup: [
          `${cli} exec ${pod} -- redis-cli BGSAVE`,
          `${cli} exec ${pod} -- redis-cli LASTSAVE   # again until the time changes`,
          `${cli} port-forward ${pod} 6379:6379 & redis-cli --rdb ${file('rdb')}`,
        ],
        verify: [`redis-check-rdb ${file('rdb')}`],
        restore: [`${cli} cp ${file('rdb')} "$REDIS_POD":/data/dump.rdb`, `${cli} rollout restart ${pod}`],
      };
  }
}

/** Example lines for several databases, each group under a comment naming its database. */
export function databaseExamples(dbs: readonly DatabaseId[], cli: string, kind: keyof DatabaseCommands): string[] {
  if (dbs.length === 1) return databaseCommands(dbs[0], cli)[kind];
  return dbs.flatMap((db) => [`# ${ENGINES[db].label}:`, ...databaseCommands(db, cli)[kind]]);
}
