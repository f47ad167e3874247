import express from 'express';
import type { SimulatorContext } from '../context';

export function createStructuresRouter(_ctx: SimulatorContext): express.Router {
  return express.Router();
}
