import express from 'express';
import type { SimulatorContext } from '../context';

export function createUtilisateursRouter(_ctx: SimulatorContext): express.Router {
  return express.Router();
}
