import { simulatorLogger } from './logger';
import { startSimulator } from './app';

/** `npm run simulator`: SIMULATOR_PORT (3100), SIMULATOR_HOST (127.0.0.1), SIMULATOR_CLOCK_SPEED, SIMULATOR_TOKEN_LIFETIME_SECONDS. */
async function main(): Promise<void> {
  const logger = simulatorLogger();
  const port = Number(process.env.SIMULATOR_PORT ?? 3100);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`SIMULATOR_PORT must be a port number, got "${process.env.SIMULATOR_PORT}"`);
  }
  const simulator = await startSimulator({ port, host: process.env.SIMULATOR_HOST ?? '127.0.0.1', logger });
  logger.info(
    { url: simulator.url, clockSpeed: simulator.ctx.clock.speed },
    `Chorus Pro simulator listening on ${simulator.url} (data set: ${simulator.url}/__admin/dataset)`,
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130); // a second signal: stop waiting
    stopping = true;
    logger.info({ signal }, 'stopping the simulator');
    simulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'simulator did not close cleanly');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
