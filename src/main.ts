import './app/dualface-app';
import { installAutomation } from './app/automation';

installAutomation();
