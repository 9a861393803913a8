export { CalendarService } from './calendar-service.js';
export { processCalendarChanged } from './jobs.js';
export { calendarRoutes } from './routes.js';
